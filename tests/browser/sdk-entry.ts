// The SDK as a browser page gets it: its public entry, nothing else (bundled by
// tests/harness/browser.ts `bundleSdk`, run in Chromium by tests/app.browser.test.ts).
import * as sdk from "../../sdk/src";

(globalThis as unknown as { sdk: typeof sdk }).sdk = sdk;
