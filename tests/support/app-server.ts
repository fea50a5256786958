import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { createRequestHandler, type ServerBuild } from "@remix-run/node";
import { projectRoot } from "../../scripts/lib/database.ts";

// The built app (tests' global setup runs `remix vite:build`) served over real HTTP in the test's
// process, so it shares the test's DATABASE_URL and network setup.
export interface AppServer {
  url: string;
  close(): Promise<void>;
}

const clientRoot = path.join(projectRoot, "build/client");
const contentTypes: Record<string, string> = {
  ".js": "text/javascript",
  ".css": "text/css",
  ".json": "application/json",
};

/** Serves the build on `port` (default: any free one). */
export async function startAppServer(port = 0): Promise<AppServer> {
  const build = (await import(path.join(projectRoot, "build/server/index.js"))) as ServerBuild;
  const handle = createRequestHandler(build, "production");
  const server: Server = createServer((req, res) => void answer(req, res));
  async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
      if (url.pathname.startsWith("/assets/")) {
        const file = path.join(clientRoot, path.normalize(url.pathname));
        const body = await readFile(file).catch(() => undefined);
        res.writeHead(body ? 200 : 404, {
          "content-type": contentTypes[path.extname(file)] ?? "application/octet-stream",
        });
        res.end(body);
        return;
      }
      const response = await handle(toRequest(req, url));
      res.writeHead(response.status, Object.fromEntries(response.headers));
      if (response.body) Readable.fromWeb(response.body as NodeReadableStream).pipe(res);
      else res.end();
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  }
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

function toRequest(req: IncomingMessage, url: URL): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) value.forEach((v) => headers.append(name, v));
    else if (value !== undefined) headers.set(name, value);
  }
  const hasBody = req.method !== "GET" && req.method !== "HEAD";
  return new Request(url, {
    method: req.method,
    headers,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream) : undefined,
    duplex: hasBody ? "half" : undefined,
  } as RequestInit);
}

/** Requests as a browser would send them (the Shopify library answers bot user agents with 410). */
export const browserHeaders = {
  "user-agent": "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
  accept: "text/html",
};
