// Finds a TCP port P on 127.0.0.1 such that P and P + 1 are both free: the local validator
// serves JSON-RPC on P and PubSub on P + 1 (web3.js derives the websocket port that way).
//
//   npx tsx tests/harness/free-port.ts     # prints P
import { createServer, Server } from "node:net";

function listen(port: number): Promise<Server | null> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(null));
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => resolve(server));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

/** A port P with P and P + 1 free on 127.0.0.1 at the time of the call. */
export async function freePortPair(attempts = 50): Promise<number> {
  for (let i = 0; i < attempts; i++) {
    const first = await listen(0);
    if (!first) continue;
    const address = first.address();
    const port = typeof address === "object" && address ? address.port : 0;
    const second = port > 0 && port < 65535 ? await listen(port + 1) : null;
    await close(first);
    if (second) {
      await close(second);
      return port;
    }
  }
  throw new Error(`no pair of consecutive free TCP ports found in ${attempts} attempts`);
}

if (require.main === module) {
  freePortPair().then(
    (port) => console.log(port),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : err);
      process.exit(1);
    },
  );
}
