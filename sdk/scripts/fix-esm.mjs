// Makes the ESM build loadable by Node as well as by bundlers: TypeScript keeps relative
// import specifiers as written ("./common/amount"), while Node's ESM loader needs the file
// ("./common/amount.js", "./staking/index.js") and JSON imported with a type attribute.
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";

const root = resolve(process.argv[2] ?? "dist/esm");
const SPEC = /(\b(?:from|import)\s*\(?\s*)(["'])(\.{1,2}\/[^"']*)\2(\)?)/g;

function fix(file) {
  const text = readFileSync(file, "utf8");
  const out = text.replace(SPEC, (all, lead, quote, spec, close) => {
    if (spec.endsWith(".json"))
      return `${lead}${quote}${spec}${quote}${close} with { type: "json" }`;
    if (/\.(m?js)$/.test(spec)) return all;
    const base = resolve(dirname(file), spec);
    const target = existsSync(`${base}.js`)
      ? `${spec}.js`
      : existsSync(join(base, "index.js"))
        ? `${spec}/index.js`
        : spec;
    return `${lead}${quote}${target}${quote}${close}`;
  });
  if (out !== text) writeFileSync(file, out);
}

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith(".js")) fix(path);
  }
}

walk(root);
