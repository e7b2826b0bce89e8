// Starts crucible-localnet on a free port pair for scripts that run outside `scripts/mocha.sh`
// (the benchmark, the demo), and stops it.
import { spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

import type { Connection } from "@solana/web3.js";

import { freePortPair } from "./free-port";

/** The Cargo target directory, as scripts/env.sh defines it. */
export const CARGO_TARGET_DIR =
  process.env.CARGO_TARGET_DIR ?? join(process.env.HOME ?? "/root", ".cache/crucible/target");

export interface RunningValidator {
  url: string;
  stop: () => void;
}

/** Starts the (already built) validator, funding `wallet`, and waits for its ready line. */
export async function startValidator(
  wallet: string,
  timeoutMs = 60_000,
): Promise<RunningValidator> {
  const port = await freePortPair();
  const child = spawn(
    join(CARGO_TARGET_DIR, "debug/crucible-localnet"),
    ["--port", String(port), "--fund", wallet, "--quiet"],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  const lines = createInterface({ input: child.stdout! });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`crucible-localnet did not start in ${timeoutMs / 1000} s`)),
      timeoutMs,
    );
    lines.on("line", (l) => {
      if (l.startsWith("crucible-localnet ready")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`crucible-localnet exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill("SIGTERM") };
}

/**
 * Closes a web3.js `Connection`'s PubSub socket before its validator stops, so that it does not
 * keep trying to reconnect (and logging `ws error`) for the rest of the run. web3.js has no
 * public way to: its `_rpcWebSocket` is the rpc-websockets client, whose `close()` ends it for good.
 */
export function closePubSub(connection: Connection): void {
  (connection as unknown as { _rpcWebSocket: { close(): void } })._rpcWebSocket.close();
}
