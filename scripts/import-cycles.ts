// `npm run check:cycles`: fails when TypeScript modules import each other in a circle.
//
//   node --import tsx scripts/import-cycles.ts [dir...]     default: cli sdk/src demo
//
// Every relative import counts: `import`, `import type`, `export ... from`, `import()` and
// `require()` (a lazy `require` still ties the two files together for a reader). Imports are
// read with the TypeScript compiler's own pre-processor and resolved as tsc resolves them
// (tsconfig.json's options), so `./bootstrap` finds `bootstrap/index.ts`. Packages
// (node_modules) are not followed. Each circle is printed once, as the files in order, and the
// exit status is 1 if there is any.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import ts from "typescript";

import { circleThrough, circularComponents } from "./lib/cycles";

const ROOT = resolve(__dirname, "..");
const DEFAULT_DIRS = ["cli", "sdk/src", "demo"];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.tsx?$/.test(name) && !name.endsWith(".d.ts")) out.push(path);
  }
  return out;
}

/** The files `file` imports, resolved; only files inside the repository, outside node_modules. */
function importsOf(file: string, options: ts.CompilerOptions): string[] {
  const info = ts.preProcessFile(readFileSync(file, "utf8"), true, true);
  const out = new Set<string>();
  for (const ref of info.importedFiles) {
    if (!ref.fileName.startsWith(".")) continue;
    const resolved = ts.resolveModuleName(ref.fileName, file, options, ts.sys).resolvedModule;
    if (!resolved || resolved.isExternalLibraryImport) continue;
    const target = resolve(resolved.resolvedFileName);
    if (target.endsWith(".d.ts") || target.includes("/node_modules/")) continue;
    out.add(target);
  }
  return [...out];
}

/** Every elementary circle reachable in `graph`, each once (the strongly connected
 * components, then one shortest circle through each file of a component). */
export function findCycles(graph: Map<string, string[]>): string[][] {
  const next = (v: string) => graph.get(v) ?? [];
  const cycles = new Map<string, string[]>();
  for (const component of circularComponents([...graph.keys()].sort(), next, true)) {
    const inside = new Set(component);
    for (const start of [...component].sort()) {
      const path = circleThrough(start, inside, next);
      if (!path) continue;
      // The same circle starting elsewhere: one key for all its rotations.
      const first = path.indexOf([...path].sort()[0]);
      const canonical = [...path.slice(first), ...path.slice(0, first)];
      cycles.set(canonical.join(" -> "), canonical);
    }
  }
  return [...cycles.values()];
}

function main(): number {
  const dirs = process.argv.slice(2).length ? process.argv.slice(2) : DEFAULT_DIRS;
  const config = ts.readConfigFile(join(ROOT, "tsconfig.json"), ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
  const files = dirs.flatMap((d) => sourceFiles(resolve(ROOT, d)));
  const graph = new Map<string, string[]>();
  const todo = [...files.map((f) => resolve(f))];
  while (todo.length) {
    const f = todo.pop()!;
    if (graph.has(f)) continue;
    const deps = importsOf(f, options);
    graph.set(f, deps);
    todo.push(...deps.filter((d) => !graph.has(d)));
  }
  const cycles = findCycles(graph);
  const rel = (f: string) => relative(ROOT, f);
  if (cycles.length === 0) {
    console.log(`no import circles in ${dirs.join(", ")} (${files.length} files)`);
    return 0;
  }
  console.error(`${cycles.length} import circle(s) in ${dirs.join(", ")}:`);
  for (const c of cycles) console.error(`  ${[...c, c[0]].map(rel).join(" -> ")}`);
  return 1;
}

if (require.main === module) process.exit(main());
