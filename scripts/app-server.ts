// The dApp's static server: app/dist (built by `npm run app:build`) on 127.0.0.1, for
// `npm start` and the browser tests. A single-page app: every route is a hash, so only files.
import { existsSync, readFileSync, statSync } from "node:fs";
import { createServer, Server } from "node:http";
import { AddressInfo } from "node:net";
import { extname, resolve } from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".json": "application/json",
};

/** Serves `dir` on 127.0.0.1, on `port` (0: a free one); `extra` answers paths of its own
 * first. */
export async function serve(
  dir: string,
  extra: Record<string, { type: string; body: string }> = {},
  port = 0,
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? "/").split("?")[0]);
    if (extra[path]) {
      res.writeHead(200, { "content-type": extra[path].type });
      res.end(extra[path].body);
      return;
    }
    const file = resolve(dir, "." + (path === "/" ? "/index.html" : path));
    if (!file.startsWith(dir) || !existsSync(file) || statSync(file).isDirectory()) {
      res.writeHead(404);
      res.end("not found");
      return;
    }
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  });
  await new Promise<void>((done, fail) => {
    server.once("error", fail);
    server.listen(port, "127.0.0.1", done);
  });
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/`,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
