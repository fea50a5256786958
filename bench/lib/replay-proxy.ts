// A recording HTTPS proxy for the simulator, run as its own process by bench/sync.ts. In `record`
// mode it forwards GETs to the simulator and keeps each answer; in `replay` mode it serves the kept
// answers without the simulator, so a second sync measures the app's ingestion alone, without the
// cost of generating the pages on the same two cores.
//   node bench/lib/replay-proxy.ts --target-port N --cert-dir DIR
// prints {"port": N} and takes `POST /_replay/replay` to switch modes.
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer } from "node:https";
import path from "node:path";
import { parseArgs } from "node:util";
import { Agent, request } from "undici";

const { values } = parseArgs({ options: { "target-port": { type: "string" }, "cert-dir": { type: "string" } } });
const dir = values["cert-dir"]!;
const ca = readFileSync(path.join(dir, "ca.pem"), "utf8");
const agent = new Agent({ connect: { ca, servername: "bench.myshopify.com" } });
const kept = new Map<string, { status: number; headers: Record<string, string>; body: Buffer }>();
const passed = ["content-type", "link", "x-shopify-shop-api-call-limit", "x-request-id", "retry-after"];
let replaying = false;

async function answer(req: IncomingMessage, res: ServerResponse): Promise<void> {
  // A deletions query names the run's start, which a replay has anew: kept without it.
  const key = `${req.headers.host}${(req.url ?? "").replace(/([?&])created_at_min=[^&]*&?/, "$1")}`;
  if (req.method === "POST" && req.url === "/_replay/replay") {
    replaying = true;
    res.end(JSON.stringify({ kept: kept.size }));
    return;
  }
  if (replaying) {
    const answer = kept.get(key);
    if (!answer) return void res.writeHead(404).end(`not recorded: ${key}`);
    res.writeHead(answer.status, { ...answer.headers, date: new Date().toUTCString() });
    return void res.end(answer.body);
  }
  const upstream = await request(`https://127.0.0.1:${values["target-port"]}${req.url}`, {
    method: "GET",
    dispatcher: agent,
    headers: {
      host: req.headers.host ?? "",
      "x-shopify-access-token": String(req.headers["x-shopify-access-token"] ?? ""),
    },
  });
  const body = Buffer.from(await upstream.body.arrayBuffer());
  const headers: Record<string, string> = {};
  for (const name of passed) {
    const value = upstream.headers[name];
    if (typeof value === "string") headers[name] = value;
  }
  if (upstream.statusCode === 200) kept.set(key, { status: 200, headers, body });
  res.writeHead(upstream.statusCode, headers);
  res.end(body);
}

const server = createServer(
  { key: readFileSync(path.join(dir, "key.pem")), cert: readFileSync(path.join(dir, "cert.pem")) },
  (req, res) => {
    answer(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502);
      res.end(String(error));
    });
  },
);
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: (server.address() as { port: number }).port })));
