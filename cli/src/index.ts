#!/usr/bin/env node
// crucible: the command line for Crucible providers, clients, operators and cranks.
// Finds the command, parses and validates its flags (node's util.parseArgs), runs it, and
// prints one JSON object (--json) or a table. Failures print one line, `error: <what>
// (<ErrorName>)`, and exit 1 (usage errors: 2).
import { parseArgs } from "util";

import { COMMANDS, GLOBAL_OPTIONS, SECTIONS } from "./commands/registry";
import type { CommandSpec, OptionSpec } from "./commands/types";
import type * as EnvModule from "./env";
import type * as ParseModule from "./parse";
import { describeFailure, UsageError } from "./errors";
import { toJson } from "./output";

function optionUsage(name: string, o: OptionSpec): string {
  const flag = `${o.short ? `-${o.short}, ` : "    "}--${name}${o.value ? ` ${o.value}` : ""}`;
  return `  ${flag.padEnd(38)} ${o.help}`;
}

function usageLine(spec: CommandSpec): string {
  const args = (spec.args ?? []).map((a) => (a.optional ? `[<${a.name}>]` : `<${a.name}>`));
  return ["crucible", ...spec.words, ...args, "[flags]"].join(" ");
}

function commandHelp(spec: CommandSpec): string {
  const lines = [`${usageLine(spec)}`, "", spec.summary + "."];
  if (spec.description) lines.push("", spec.description);
  if (spec.args?.length) {
    lines.push("", "Arguments:");
    for (const a of spec.args) lines.push(`  ${`<${a.name}>`.padEnd(38)} ${a.help}`);
  }
  if (Object.keys(spec.options).length) {
    lines.push("", "Flags:");
    for (const [name, o] of Object.entries(spec.options)) lines.push(optionUsage(name, o));
  }
  lines.push("", "Global flags:");
  for (const [name, o] of Object.entries(GLOBAL_OPTIONS)) lines.push(optionUsage(name, o));
  if (spec.examples?.length) lines.push("", "Examples:", ...spec.examples.map((e) => `  ${e}`));
  return lines.join("\n");
}

function groupHelp(group: string): string {
  const specs = COMMANDS.filter((c) => c.words[0] === group);
  const width = Math.max(...specs.map((s) => s.words.join(" ").length));
  return [
    `crucible ${group} <command> [flags]`,
    "",
    "Commands:",
    ...specs.map((s) => `  crucible ${s.words.join(" ").padEnd(width)}  ${s.summary}`),
    "",
    `Run \`crucible ${group} <command> --help\` for a command's flags.`,
  ].join("\n");
}

function mainHelp(): string {
  const width = Math.max(...COMMANDS.map((s) => s.words.join(" ").length));
  const lines = [
    "crucible: the command line for Crucible, an on-chain GPU compute market on Solana",
    "",
    "Usage: crucible <command> [arguments] [flags]",
  ];
  for (const [title, names] of SECTIONS) {
    lines.push("", `${title}:`);
    for (const name of names) {
      const s = COMMANDS.find((c) => c.words.join(" ") === name)!;
      lines.push(`  ${name.padEnd(width)}  ${s.summary}`);
    }
  }
  lines.push("", "Global flags:");
  for (const [name, o] of Object.entries(GLOBAL_OPTIONS)) lines.push(optionUsage(name, o));
  lines.push(
    "",
    "Amounts are in tokens (12.5), converted exactly with the mint's decimals; --raw takes base units.",
    "Durations: seconds or units s m h d w (90, 30m, 1h30m, 7d). Exit status: 0 ok, 1 failed, 2 bad usage.",
    "Run `crucible <command> --help` for a command's flags.",
  );
  return lines.join("\n");
}

/** Finds the command named by the first words of `argv` (global flags may come before them). */
function findCommand(argv: string[]): { spec?: CommandSpec; rest: string[]; group?: string } {
  // Indexes of the leading words, skipping global flags and their values.
  const wordIdx: number[] = [];
  for (let i = 0; i < argv.length && wordIdx.length < 2; i++) {
    const a = argv[i];
    if (a.startsWith("-")) {
      const name = a.replace(/^--?/, "").split("=")[0];
      const global = Object.entries(GLOBAL_OPTIONS).find(
        ([n, o]) => n === name || o.short === name,
      );
      if (!global) break;
      if (global[1].type === "string" && !a.includes("=")) i++;
      continue;
    }
    if (wordIdx.length === 1 && wordIdx[0] !== i - 1) break;
    wordIdx.push(i);
  }
  const without = (idx: number[]) => argv.filter((_a, i) => !idx.includes(i));
  for (const len of [2, 1]) {
    if (wordIdx.length < len) continue;
    const words = wordIdx.slice(0, len).map((i) => argv[i]);
    const spec = COMMANDS.find(
      (c) => c.words.length === len && c.words.every((w, i) => w === words[i]),
    );
    if (spec) return { spec, rest: without(wordIdx.slice(0, len)) };
  }
  const first = wordIdx.length ? argv[wordIdx[0]] : undefined;
  if (first && COMMANDS.some((c) => c.words[0] === first))
    return { rest: without([wordIdx[0]]), group: first };
  return { rest: argv };
}

function wantsJson(argv: string[]): boolean {
  return argv.includes("--json");
}

let resolvedUrl: string | undefined;

async function main(argv: string[]): Promise<number> {
  const { spec, rest, group } = findCommand(argv);
  const help = rest.includes("--help") || rest.includes("-h");
  if (!spec) {
    if (group) {
      if (help || !rest.some((a) => !a.startsWith("-"))) {
        process[help ? "stdout" : "stderr"].write(groupHelp(group) + "\n");
        return help ? 0 : 2;
      }
      throw new UsageError(
        `unknown command \`${group} ${rest.find((a) => !a.startsWith("-"))}\` (see \`crucible ${group} --help\`)`,
        "UnknownCommand",
      );
    }
    if (!argv.some((a) => !a.startsWith("-")) || help) {
      process[help ? "stdout" : "stderr"].write(mainHelp() + "\n");
      return help ? 0 : 2;
    }
    const word = argv.find((a) => !a.startsWith("-"));
    throw new UsageError(`unknown command \`${word}\` (see \`crucible --help\`)`, "UnknownCommand");
  }
  if (help) {
    process.stdout.write(commandHelp(spec) + "\n");
    return 0;
  }
  const options = { ...GLOBAL_OPTIONS, ...spec.options };
  // `--amount -5`: hand the value to the validator (which explains it) instead of letting
  // parseArgs take "-5" for a flag.
  const args = [...rest];
  for (let i = 0; i + 1 < args.length; i++) {
    const name = args[i].startsWith("--") ? args[i].slice(2) : undefined;
    if (name && options[name]?.type === "string" && /^-[\d.]/.test(args[i + 1])) {
      args.splice(i, 2, `--${name}=${args[i + 1]}`);
    }
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args,
      options: Object.fromEntries(
        Object.entries(options).map(([name, o]) => [
          name,
          o.short ? { type: o.type, short: o.short } : { type: o.type },
        ]),
      ),
      allowPositionals: true,
      strict: true,
    });
  } catch (err) {
    const message = (err as Error).message.split("\n")[0].replace(/\. To specify.*$/, "");
    throw new UsageError(message, "InvalidFlag");
  }
  const expected = spec.args ?? [];
  const required = expected.filter((a) => !a.optional).length;
  if (parsed.positionals.length < required)
    throw new UsageError(
      `missing <${expected[parsed.positionals.length].name}> (usage: ${usageLine(spec)})`,
      "MissingArgument",
    );
  if (parsed.positionals.length > expected.length)
    throw new UsageError(
      `unexpected argument "${parsed.positionals[expected.length]}" (usage: ${usageLine(spec)})`,
      "UnexpectedArgument",
    );
  const values = parsed.values as Record<string, string | boolean | undefined>;
  for (const [name, o] of Object.entries(options)) {
    if (o.type === "string" && values[name] === "")
      throw new UsageError(`--${name}: a value is required`, "MissingValue");
  }

  // Loaded only now: usage errors and --help do not load the SDK.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Env, resolveKeypairPath, resolveUrl } = require("./env") as typeof EnvModule;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parseUint } = require("./parse") as typeof ParseModule;
  const price = values["with-compute-unit-price"] as string | undefined;
  const computeUnitPrice =
    price === undefined ? undefined : parseUint(price, "--with-compute-unit-price");
  resolvedUrl = resolveUrl(values.url as string | undefined);
  const env = new Env(
    resolvedUrl,
    resolveKeypairPath(values.keypair as string | undefined),
    values.json === true,
    { computeUnitPrice },
  );
  const handler = await spec.load();
  const output = await handler({
    env,
    values,
    args: parsed.positionals,
    command: spec.words.join(" "),
  });
  process.stdout.write(
    (env.json ? toJson({ command: spec.words.join(" "), ...output.json }) : output.human) + "\n",
  );
  return output.exitCode ?? 0;
}

/** Exits once stdout and stderr are flushed (an idle HTTP keep-alive socket must not keep the
 * process waiting). */
function finish(code: number): void {
  let pending = 2;
  const done = () => {
    if (--pending === 0) process.exit(code);
  };
  process.stdout.write("", done);
  process.stderr.write("", done);
}

const argv = process.argv.slice(2);
main(argv).then(finish, (err: unknown) => {
  const { spec } = findCommand(argv);
  const failure = describeFailure(err, resolvedUrl);
  const what = spec ? `${spec.words.join(" ")}: ` : "";
  process.stderr.write(`error: ${what}${failure.message} (${failure.name})\n`);
  if (wantsJson(argv)) {
    process.stdout.write(
      toJson({
        command: spec?.words.join(" "),
        error: { name: failure.name, code: failure.code, message: failure.message },
      }) + "\n",
    );
  }
  if (process.env.CRUCIBLE_DEBUG && failure.logs?.length)
    process.stderr.write(failure.logs.join("\n") + "\n");
  finish(failure.exitCode);
});
