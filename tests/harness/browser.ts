// The browser side of the app's tests: Debian's Chromium driven by playwright-core, the app
// built by Vite and served from app/dist by a small static server, and the SDK bundled on its
// own for the browser.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { gzipSync } from "node:zlib";

import { Browser, chromium } from "playwright-core";

export { serve } from "../../scripts/app-server";

export const ROOT = resolve(__dirname, "../..");
export const DIST = join(ROOT, "app", "dist");

/** Debian's `chromium` (installed by .ci/run), or $CHROMIUM. */
export function chromiumPath(): string {
  const path = process.env.CHROMIUM ?? "/usr/bin/chromium";
  if (!existsSync(path))
    throw new Error(
      `no Chromium at ${path}: install Debian's package (apt-get install -y chromium, as .ci/run does) or set CHROMIUM`,
    );
  return path;
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
}

/** `npm run app:build`: app/dist from the app's and the SDK's sources. */
export function buildApp(): void {
  execFileSync("npx", ["vite", "build", "app", "--logLevel", "error"], {
    cwd: ROOT,
    stdio: ["ignore", "inherit", "inherit"],
  });
}

/** Every file under `dir`, recursively. */
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
}

/** The gzip size of every file of `dir`, in bytes, and the total. */
export function gzipSizes(dir: string): { total: number; byFile: Record<string, number> } {
  const byFile: Record<string, number> = {};
  for (const f of files(dir)) byFile[f.slice(dir.length + 1)] = gzipSync(readFileSync(f)).length;
  return { total: Object.values(byFile).reduce((a, b) => a + b, 0), byFile };
}

/** The SDK bundled on its own for the browser (an ES module exposing it as `globalThis.sdk`),
 * as any dApp's bundler would: its ESM entry, browser conditions, no polyfill injected. */
export async function bundleSdk(): Promise<string> {
  const { build } = await import("vite");
  // Vite's build sets NODE_ENV=production in this process, which would strip the error
  // messages of @solana/kit in every suite that runs after this one: restored below.
  const nodeEnv = process.env.NODE_ENV;
  let out: Awaited<ReturnType<typeof build>>;
  try {
    out = await build({
      configFile: false,
      logLevel: "error",
      root: ROOT,
      resolve: {
        alias: {
          // As app/vite.config.ts: Anchor's IDL helpers from its ES module build.
          "@coral-xyz/anchor/dist/cjs/idl.js": "@coral-xyz/anchor/dist/esm/idl.js",
        },
      },
      build: {
        write: false,
        target: "es2022",
        minify: false,
        lib: {
          entry: join(ROOT, "tests", "browser", "sdk-entry.ts"),
          formats: ["es"],
          fileName: "sdk",
        },
      },
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  const outputs = Array.isArray(out) ? out : [out];
  for (const o of outputs)
    if ("output" in o)
      for (const chunk of o.output) if (chunk.type === "chunk" && chunk.isEntry) return chunk.code;
  throw new Error("the SDK bundle has no entry chunk");
}
