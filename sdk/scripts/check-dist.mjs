// After `npm run build`: the CommonJS and ES module builds both load in Node and export the
// same names, and the type declarations are there.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { URL } from "node:url";

const require = createRequire(import.meta.url);
const cjs = require("../dist/cjs/index.js");
const esm = await import("../dist/esm/index.js");
const names = (m) =>
  Object.keys(m)
    .filter((k) => k !== "default")
    .sort()
    .join(",");
if (names(cjs) !== names(esm))
  throw new Error(`CJS and ESM exports differ:\n${names(cjs)}\n${names(esm)}`);
for (const k of [
  "MarketClient",
  "StakingClient",
  "EmissionsClient",
  "translateError",
  "market",
  "staking",
  "emissions",
]) {
  if (!(k in esm)) throw new Error(`the build does not export ${k}`);
}
if (!existsSync(new URL("../dist/types/index.d.ts", import.meta.url)))
  throw new Error("dist/types/index.d.ts is missing");
console.log(
  `@crucible/sdk build: CJS and ESM load in Node with ${Object.keys(esm).length} exports; types present`,
);
