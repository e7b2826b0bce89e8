// `npm run cli-docs`: writes cli/README.md's flag reference from the command registry
// (cli/src/commands/registry), between its marker comments. With --check, writes nothing and
// fails if the README differs from what the registry gives (drift), as scripts/idl.sh --check
// does for the IDL.
//
//   node --import tsx scripts/cli-docs.ts [--check]
//
// Two blocks are generated: the global flags table and, per command in the main help's order,
// its usage line, summary, arguments and flags. The README is then formatted with the
// repository's prettier settings, so the check and `prettier --check` agree.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as prettier from "prettier";

import { COMMANDS, GLOBAL_OPTIONS, SECTIONS } from "../cli/src/commands/registry";
import type { CommandSpec, OptionSpec } from "../cli/src/commands/types";

const README = join(__dirname, "..", "cli", "README.md");

const cell = (text: string) => text.replace(/\|/g, "\\|");

function flagName(name: string, o: OptionSpec): string {
  return `\`${o.short ? `-${o.short}, ` : ""}--${name}${o.value ? ` ${o.value}` : ""}\``;
}

function flagTable(options: Record<string, OptionSpec>): string[] {
  return [
    "| flag | meaning |",
    "| --- | --- |",
    ...Object.entries(options).map(
      ([name, o]) => `| ${cell(flagName(name, o))} | ${cell(o.help)} |`,
    ),
  ];
}

function usage(spec: CommandSpec): string {
  const args = (spec.args ?? []).map((a) => (a.optional ? `[<${a.name}>]` : `<${a.name}>`));
  return ["crucible", ...spec.words, ...args].join(" ");
}

function commandBlock(spec: CommandSpec): string[] {
  const summary = spec.summary[0].toUpperCase() + spec.summary.slice(1);
  const lines = [`#### \`${usage(spec)}\``, "", `${summary}.`, ""];
  for (const a of spec.args ?? [])
    lines.push(`- \`<${a.name}>\`${a.optional ? " (optional)" : ""}: ${a.help}`);
  if (spec.args?.length) lines.push("");
  if (Object.keys(spec.options).length) lines.push(...flagTable(spec.options));
  else lines.push("No flags of its own.");
  lines.push("");
  return lines;
}

/** The generated text of each marked block, by marker name. */
function blocks(): Record<string, string> {
  const listed = new Set(SECTIONS.flatMap(([, names]) => names));
  const rest = COMMANDS.filter((c) => !listed.has(c.words.join(" ")));
  const sections: Array<[string, CommandSpec[]]> = SECTIONS.map(([title, names]) => [
    title,
    names.map((n) => COMMANDS.find((c) => c.words.join(" ") === n)!),
  ]);
  if (rest.length) sections.push(["Other", rest]);
  const commands: string[] = [];
  for (const [title, specs] of sections) {
    commands.push(`### ${title}`, "");
    for (const spec of specs) commands.push(...commandBlock(spec));
  }
  return {
    "global-flags": flagTable(GLOBAL_OPTIONS).join("\n"),
    commands: commands.join("\n"),
  };
}

function begin(name: string) {
  return `<!-- cli-docs:${name} begin: generated from cli/src/commands/registry by \`npm run cli-docs\`; do not edit -->`;
}
function end(name: string) {
  return `<!-- cli-docs:${name} end -->`;
}

async function render(readme: string): Promise<string> {
  let out = readme;
  for (const [name, body] of Object.entries(blocks())) {
    const b = out.indexOf(begin(name));
    const e = out.indexOf(end(name));
    if (b < 0 || e < b) throw new Error(`cli/README.md: no "${begin(name)}" ... "${end(name)}"`);
    out = `${out.slice(0, b)}${begin(name)}\n\n${body}\n\n${out.slice(e)}`;
  }
  const options = (await prettier.resolveConfig(README)) ?? {};
  return prettier.format(out, { ...options, filepath: README });
}

async function main(): Promise<number> {
  const check = process.argv.includes("--check");
  const current = readFileSync(README, "utf8");
  const wanted = await render(current);
  if (!check) {
    if (wanted !== current) writeFileSync(README, wanted);
    console.log(`cli/README.md: flag reference ${wanted === current ? "unchanged" : "written"}`);
    return 0;
  }
  if (wanted === current) {
    console.log("CLI docs check: cli/README.md's flag reference matches the command registry.");
    return 0;
  }
  const a = current.split("\n");
  const b = wanted.split("\n");
  const first = a.findIndex((line, i) => line !== b[i]);
  console.error(
    `CLI docs drift: cli/README.md's flag reference differs from the command registry (first at line ${first + 1}:\n  README:    ${a[first] ?? "(end)"}\n  registry:  ${b[first] ?? "(end)"}). Run 'npm run cli-docs' and commit the result.`,
  );
  return 1;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(2);
  },
);
