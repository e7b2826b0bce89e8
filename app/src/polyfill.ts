// The SDK and web3.js use Node's `Buffer` as a global; in the browser it comes from the
// `buffer` package. Imported first by main.ts, before anything that reads it.
import { Buffer } from "buffer";

const g = globalThis as { Buffer?: typeof Buffer };
g.Buffer ??= Buffer;
