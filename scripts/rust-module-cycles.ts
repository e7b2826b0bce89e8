// Fails when the Rust modules of a crate import each other in a circle.
//
//   tsx scripts/rust-module-cycles.ts [--edges] <src dir>...     e.g. localnet/src programs/*/src
//
// `--edges` also prints every module's dependencies.
//
// For each `<src dir>` the crate roots are `lib.rs` and `main.rs`; the module tree follows
// `mod name;` (to `name.rs` or `name/mod.rs`) and inline `mod name { ... }` blocks. A module
// depends on another when it names it or one of its items through `use` (including globs and
// re-exports, which are followed to the module that defines the item) or through a qualified
// path in code (`crate::a::b`, `super::x`, `self::x`, `child::x`, or a `use`d module's name).
// Declaring a child module (`mod x;`) is containment, not a dependency. Comments, string
// literals, macro bodies' `$crate::` paths and macro invocations (`crate::m!`) are ignored. Prints every circle with the line
// of each import in it; exit status 1 when there is one.
import { existsSync, readFileSync } from "fs";
import { dirname, join, relative } from "path";

import { circleThrough, circularComponents } from "./lib/cycles";

interface Module {
  id: string; // "crate", "crate::rpc", "crate::rpc::encode::tests"
  file: string;
  parent: Module | null;
  children: Map<string, Module>;
  items: Set<string>;
  /** `use` bindings: local name -> path as written (resolved lazily from this module). */
  bindings: Map<string, string[]>;
  /** Targets of glob imports, as written. */
  globs: string[][];
  /** Paths named in this module (use leaves and qualified paths in code), with their line. */
  refs: { path: string[]; line: number }[];
}

/** Blanks out comments, string and char literals (newlines kept, so line numbers hold). */
function strip(src: string): string {
  let out = "";
  let i = 0;
  const blank = (s: string) => s.replace(/[^\n]/g, " ");
  while (i < src.length) {
    const c = src[i];
    const next = src[i + 1];
    if (c === "/" && next === "/") {
      const end = src.indexOf("\n", i);
      const stop = end === -1 ? src.length : end;
      out += blank(src.slice(i, stop));
      i = stop;
    } else if (c === "/" && next === "*") {
      let depth = 0;
      let j = i;
      do {
        if (src.startsWith("/*", j)) {
          depth++;
          j += 2;
        } else if (src.startsWith("*/", j)) {
          depth--;
          j += 2;
        } else {
          j++;
        }
      } while (depth > 0 && j < src.length);
      out += blank(src.slice(i, j));
      i = j;
    } else if (
      (c === "r" || (c === "b" && next === "r")) &&
      /^(b?r)(#*)"/.test(src.slice(i, i + 80)) &&
      !/[\w]/.test(src[i - 1] ?? "")
    ) {
      const m = /^(b?r)(#*)"/.exec(src.slice(i, i + 80))!;
      const close = '"' + m[2];
      const end = src.indexOf(close, i + m[0].length);
      const stop = end === -1 ? src.length : end + close.length;
      out += blank(src.slice(i, stop));
      i = stop;
    } else if (c === '"') {
      let j = i + 1;
      while (j < src.length && src[j] !== '"') j += src[j] === "\\" ? 2 : 1;
      out += blank(src.slice(i, j + 1));
      i = j + 1;
    } else if (c === "'") {
      // A char literal ('x', '\n', '\u{1F600}') or a lifetime ('a, 'static).
      let j = -1;
      if (next === "\\") j = src.indexOf("'", i + 2);
      else if (src[i + 2] === "'") j = i + 2;
      else if (src.codePointAt(i + 1)! > 0xffff && src[i + 3] === "'") j = i + 3;
      if (j === -1) {
        out += c;
        i++;
      } else {
        out += blank(src.slice(i, j + 1));
        i = j + 1;
      }
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The index of the `}` closing the `{` at `open`. */
function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return i;
  }
  return text.length;
}

/** The leaves of a use tree (`a::{b, c::d as e, f::*}`) as [path, local name or "*"]. */
function useLeaves(tree: string): [string[], string][] {
  const leaves: [string[], string][] = [];
  const walk = (text: string, prefix: string[]) => {
    for (const part of splitTopLevel(text)) {
      const t = part.trim();
      if (!t) continue;
      const brace = t.indexOf("{");
      if (brace !== -1) {
        const head = t.slice(0, brace).replace(/::\s*$/, "");
        const segs = head ? splitPath(head) : [];
        walk(t.slice(brace + 1, t.lastIndexOf("}")), [...prefix, ...segs]);
        continue;
      }
      const [pathText, alias] = t.split(/\s+as\s+/);
      const segs = splitPath(pathText);
      if (segs[segs.length - 1] === "*") {
        leaves.push([[...prefix, ...segs.slice(0, -1)], "*"]);
      } else if (segs.length === 1 && segs[0] === "self") {
        leaves.push([prefix, alias ?? prefix[prefix.length - 1]]);
      } else {
        const path = [...prefix, ...segs];
        leaves.push([path, alias ?? path[path.length - 1]]);
      }
    }
  };
  walk(tree, []);
  return leaves;
}

function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}") depth--;
    else if (text[i] === "," && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

function splitPath(text: string): string[] {
  return text
    .replace(/^\s*::/, "")
    .split("::")
    .map((s) => s.trim())
    .filter(Boolean);
}

const ITEM =
  /\b(?:struct|enum|union|trait|type|fn|const|static|mod|macro_rules!)\s+(?:r#)?([A-Za-z_]\w*)/g;
const USE = /(?<![\w$:])use\s+([^;]*);/g;
// A whole path, not followed by `!`: `#[macro_export]` macros live at the crate root whichever
// module defines them, so `crate::some_macro!` says nothing about dependencies.
const PATH = /(?<![\w$:])((?:[A-Za-z_]\w*)(?:\s*::\s*[A-Za-z_]\w*)+)(?![\w!]|\s*!|\s*::)/g;

class Crate {
  modules: Module[] = [];
  root: Module;

  constructor(rootFile: string) {
    this.root = this.load(rootFile, "crate", null, dirname(rootFile));
  }

  /** Loads the module in `file` (`text`: an inline module's, blanked outside its braces). */
  private load(
    file: string,
    id: string,
    parent: Module | null,
    childDir: string,
    text?: string,
  ): Module {
    const full = text ?? strip(readFileSync(file, "utf8"));
    const m: Module = {
      id,
      file: relative(process.cwd(), file),
      parent,
      children: new Map(),
      items: new Set(),
      bindings: new Map(),
      globs: [],
      refs: [],
    };
    this.modules.push(m);
    const lineAt = (pos: number) => full.slice(0, pos).split("\n").length;
    // Inline modules are cut out of this module's text and loaded on their own.
    let own = full;
    const inline = /\bmod\s+([A-Za-z_]\w*)\s*\{/g;
    let match: RegExpExecArray | null;
    const spans: [number, number][] = [];
    while ((match = inline.exec(full))) {
      if (spans.some(([a, b]) => match!.index > a && match!.index < b)) continue;
      const open = match.index + match[0].length - 1;
      const close = matchingBrace(full, open);
      spans.push([match.index, close]);
      const inner = full.slice(0, open + 1).replace(/[^\n]/g, " ") + full.slice(open + 1, close);
      const child = this.load(file, `${id}::${match[1]}`, m, join(childDir, match[1]), inner);
      m.children.set(match[1], child);
      m.items.add(match[1]);
    }
    for (const [a, b] of spans) {
      own = own.slice(0, a) + full.slice(a, b + 1).replace(/[^\n]/g, " ") + own.slice(b + 1);
    }
    for (const decl of own.matchAll(/\bmod\s+([A-Za-z_]\w*)\s*;/g)) {
      const name = decl[1];
      const candidates = [join(childDir, `${name}.rs`), join(childDir, name, "mod.rs")];
      const childFile = candidates.find((f) => existsSync(f));
      if (!childFile) continue;
      const grandDir = childFile.endsWith("mod.rs") ? dirname(childFile) : join(childDir, name);
      m.children.set(name, this.load(childFile, `${id}::${name}`, m, grandDir));
      m.items.add(name);
    }
    for (const item of own.matchAll(ITEM)) m.items.add(item[1]);
    const useSpans: [number, number][] = [];
    for (const use of own.matchAll(USE)) {
      useSpans.push([use.index!, use.index! + use[0].length]);
      const line = lineAt(use.index!);
      for (const [path, name] of useLeaves(use[1])) {
        if (path.length === 0) continue;
        if (name === "*") m.globs.push(path);
        else m.bindings.set(name, path);
        m.refs.push({ path, line });
      }
    }
    for (const p of own.matchAll(PATH)) {
      if (useSpans.some(([a, b]) => p.index! >= a && p.index! < b)) continue;
      m.refs.push({ path: splitPath(p[1].replace(/\s+/g, "")), line: lineAt(p.index!) });
    }
    return m;
  }

  /** The module that `path`, written in `from`, names or whose item it names; null if external. */
  resolve(from: Module, path: string[], seen = new Set<string>()): Module | null {
    const key = `${from.id}|${path.join("::")}`;
    if (seen.has(key)) return null;
    seen.add(key);
    const head = path[0];
    let rest = path.slice(1);
    let at: Module | null;
    if (head === "crate") at = this.root;
    else if (head === "self") at = from;
    else if (head === "super") {
      at = from.parent;
      while (rest[0] === "super" && at) {
        at = at.parent;
        rest = rest.slice(1);
      }
    } else if (from.children.has(head)) at = from.children.get(head)!;
    else if (from.bindings.has(head)) {
      at = this.resolve(from, from.bindings.get(head)!, seen);
      if (!at || !this.isModulePath(from, from.bindings.get(head)!, seen)) return at;
    } else return null; // an external crate, a local item, a prelude name
    return at && this.descend(at, rest, seen);
  }

  /** Whether a path (written in `from`) names a module rather than an item. */
  private isModulePath(from: Module, path: string[], seen: Set<string>): boolean {
    const target = this.resolve(from, path, new Set(seen));
    if (!target) return false;
    const last = path[path.length - 1];
    return target.id.endsWith(`::${last}`) || last === "crate" || last === "self";
  }

  private descend(at: Module, rest: string[], seen: Set<string>): Module | null {
    for (let i = 0; i < rest.length; i++) {
      const seg = rest[i];
      const child = at.children.get(seg);
      if (child) {
        at = child;
        continue;
      }
      const binding = at.bindings.get(seg);
      if (binding) {
        const target = this.resolve(at, binding, seen);
        if (!target) return null;
        if (i < rest.length - 1 && this.isModulePath(at, binding, seen)) {
          at = target;
          continue;
        }
        return target;
      }
      if (at.items.has(seg)) return at;
      for (const glob of at.globs) {
        const g = this.resolve(at, glob, seen);
        if (!g || g === at) continue;
        const found = this.descend(g, rest.slice(i), seen);
        if (found && (found !== g || g.items.has(seg) || g.bindings.has(seg))) return found;
      }
      return at; // an item this tool cannot see (from a macro, such as `declare_id!`'s `ID`)
    }
    return at;
  }

  /** Dependencies between modules, each with where it is written. */
  edges(): Map<Module, Map<Module, string>> {
    const out = new Map<Module, Map<Module, string>>();
    for (const m of this.modules) {
      const deps = new Map<Module, string>();
      for (const ref of m.refs) {
        const target = this.resolve(m, ref.path);
        if (!target || target === m || deps.has(target)) continue;
        deps.set(target, `${m.file}:${ref.line} (${ref.path.join("::")})`);
      }
      out.set(m, deps);
    }
    return out;
  }
}

/** Strongly connected components with more than one module. */
function circles(edges: Map<Module, Map<Module, string>>): Module[][] {
  return circularComponents(edges.keys(), (v) => edges.get(v)!.keys(), false);
}

/** One circle through `start` inside `scc`, as a list of modules ending with `start`. */
function oneCircle(start: Module, scc: Set<Module>, edges: Map<Module, Map<Module, string>>) {
  const path = circleThrough(start, scc, (v) => edges.get(v)!.keys());
  return path ? [...path, start] : [start];
}

const args = process.argv.slice(2);
const showEdges = args.includes("--edges");
const dirs = args.filter((a) => a !== "--edges");
if (dirs.length === 0) {
  console.error("usage: tsx scripts/rust-module-cycles.ts [--edges] <src dir>...");
  process.exit(2);
}
let failed = false;
for (const dir of dirs) {
  for (const rootName of ["lib.rs", "main.rs"]) {
    const rootFile = join(dir, rootName);
    if (!existsSync(rootFile)) continue;
    const crate = new Crate(rootFile);
    const edges = crate.edges();
    const found = circles(edges);
    const where = relative(process.cwd(), rootFile);
    const name = (m: Module) => m.id.replace(/^crate::/, "");
    if (showEdges) {
      for (const [m, deps] of edges) {
        console.log(`${name(m)} -> ${[...deps.keys()].map(name).sort().join(", ")}`);
      }
    }
    if (found.length === 0) {
      console.log(`${where}: no import circle among ${crate.modules.length} modules`);
      continue;
    }
    failed = true;
    for (const scc of found) {
      const members = new Set(scc);
      const start = scc.reduce((a, b) => (a.id < b.id ? a : b));
      const circle = oneCircle(start, members, edges);
      console.log(`${where}: import circle ${circle.map(name).join(" -> ")}`);
      for (let i = 0; i + 1 < circle.length; i++) {
        const at = edges.get(circle[i])!.get(circle[i + 1])!;
        console.log(`    ${name(circle[i])} -> ${name(circle[i + 1])}: ${at}`);
      }
      if (scc.length > circle.length - 1) {
        console.log(
          `    (one circle of ${scc.length} modules tied together: ${scc.map(name).sort().join(", ")})`,
        );
      }
    }
  }
}
process.exit(failed ? 1 : 0);
