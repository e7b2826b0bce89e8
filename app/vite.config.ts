import { fileURLToPath } from "node:url";

import { defineConfig } from "vite";

// The app bundles the SDK from its TypeScript source (the same modules its ESM build is
// compiled from), so `npm run app:build` needs no SDK build first.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  resolve: {
    alias: {
      "@crucible/sdk": fileURLToPath(new URL("../sdk/src/index.ts", import.meta.url)),
      // The SDK reaches Anchor's IDL helpers through its CommonJS build (which Node needs);
      // in the browser its ES module twin serves, so web3.js is bundled once, not twice.
      "@coral-xyz/anchor/dist/cjs/idl.js": "@coral-xyz/anchor/dist/esm/idl.js",
    },
  },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    chunkSizeWarningLimit: 2048,
  },
  server: { port: 5173, strictPort: false },
  preview: { port: 5173, strictPort: false },
});
