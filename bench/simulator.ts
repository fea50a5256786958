// Simulator throughput and memory bench.
//
//   node bench/simulator.ts [--json] [--sizes 10000,100000,1000000] [--orders-per-size 60000] [--streams 2]
//
// For each store size a fresh simulator process (unthrottled) is started; this process is the
// client and reads full order pages (limit=250, every field, status=any) over keep-alive HTTP and
// HTTPS, parsing every body. Reported: generation time, orders per second, server RSS.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { Agent, request } from "undici";

const API = "2026-01";

interface ServerInfo {
  url: string;
  httpsUrl: string;
  ca: string;
  token: string;
  genMs: number;
  rss: number;
}

async function serve(size: number): Promise<void> {
  const { startSimulator } = await import("../simulator/index.ts");
  const started = performance.now();
  const sim = await startSimulator({
    rateLimits: false,
    apps: [{ apiKey: "bench", apiSecret: "bench-secret", scopes: ["read_orders", "read_products", "read_customers"] }],
    shops: [
      {
        name: "bench",
        seed: 1,
        orders: size,
        customers: Math.max(100, Math.floor(size / 5)),
        products: 2000,
        days: 365,
      },
    ],
  });
  const genMs = performance.now() - started;
  const { accessToken } = sim.installApp("bench", "bench");
  const info: ServerInfo = {
    url: sim.url,
    httpsUrl: sim.httpsUrl,
    ca: sim.caPem,
    token: accessToken,
    genMs,
    rss: process.memoryUsage().rss,
  };
  process.stdout.write(JSON.stringify(info) + "\n");
  process.on("SIGTERM", () => {
    void sim.close().then(() => process.exit(0));
  });
}

async function serverRss(url: string): Promise<number> {
  const res = await request(`${url}/_simulator/`);
  const body = (await res.body.json()) as { memory: { rss: number } };
  return body.memory.rss;
}

/** Reads `pages` pages starting after `sinceId`; returns orders read. */
async function stream(base: string, agent: Agent, token: string, sinceId: number, pages: number): Promise<number> {
  let url: string | null = `${base}/admin/api/${API}/orders.json?status=any&limit=250&since_id=${sinceId}`;
  let n = 0;
  for (let p = 0; p < pages && url; p++) {
    const res = await request(url, {
      dispatcher: agent,
      headers: { host: "bench.myshopify.com", "x-shopify-access-token": token },
    });
    if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}: ${await res.body.text()}`);
    const body = (await res.body.json()) as { orders: unknown[] };
    n += body.orders.length;
    const link = res.headers.link as string | undefined;
    const next = link ? /<([^>]+)>; rel="next"/.exec(link) : null;
    url = next ? `${base}${new URL(next[1]).pathname}${new URL(next[1]).search}` : null;
  }
  return n;
}

async function measure(
  base: string,
  agent: Agent,
  token: string,
  size: number,
  budget: number,
  streams: number,
): Promise<number> {
  const perStream = Math.max(1, Math.floor(budget / streams / 250));
  // warm-up
  await stream(base, agent, token, 0, 2);
  const t0 = performance.now();
  const counts = await Promise.all(
    Array.from({ length: streams }, (_, k) => {
      const startIndex = Math.floor((size / streams) * k);
      const sinceId = 5_600_000_000_000 + startIndex * 1000 - 1;
      return stream(base, agent, token, sinceId, perStream);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  return counts.reduce((a, b) => a + b, 0) / seconds;
}

interface Row {
  orders: number;
  generationMs: number;
  httpOrdersPerSec: number;
  httpsOrdersPerSec: number;
  rssAfterGenerationMB: number;
  rssAfterServingMB: number;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      json: { type: "boolean" },
      serve: { type: "string" },
      sizes: { type: "string" },
      "orders-per-size": { type: "string" },
      streams: { type: "string" },
    },
  });
  if (values.serve) return serve(Number(values.serve));
  const sizes = (values.sizes ?? "10000,100000,1000000").split(",").map(Number);
  const budget = Number(values["orders-per-size"] ?? 60000);
  const streams = Number(values.streams ?? 2);
  const self = fileURLToPath(import.meta.url);
  const rows: Row[] = [];
  for (const size of sizes) {
    const child = spawn(process.execPath, [self, "--serve", String(size)], { stdio: ["ignore", "pipe", "inherit"] });
    let buf = "";
    child.stdout.setEncoding("utf8");
    while (!buf.includes("\n")) {
      const [chunk] = (await once(child.stdout, "data")) as [string];
      buf += chunk;
    }
    const info = JSON.parse(buf.split("\n")[0]) as ServerInfo;
    const httpAgent = new Agent({ connections: streams, pipelining: 0 });
    const httpsAgent = new Agent({ connections: streams, connect: { ca: info.ca, servername: "bench.myshopify.com" } });
    try {
      const http = await measure(info.url, httpAgent, info.token, size, budget, streams);
      const https = await measure(info.httpsUrl, httpsAgent, info.token, size, budget, streams);
      rows.push({
        orders: size,
        generationMs: Math.round(info.genMs),
        httpOrdersPerSec: Math.round(http),
        httpsOrdersPerSec: Math.round(https),
        rssAfterGenerationMB: Math.round(info.rss / 1e6),
        rssAfterServingMB: Math.round((await serverRss(info.url)) / 1e6),
      });
    } finally {
      await httpAgent.close();
      await httpsAgent.close();
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  }
  if (values.json) {
    process.stdout.write(JSON.stringify({ bench: "simulator", streams, ordersPerSize: budget, rows }, null, 2) + "\n");
    return;
  }
  const header = [
    "store orders",
    "generation ms",
    "orders/s (http)",
    "orders/s (https)",
    "RSS gen MB",
    "RSS served MB",
  ];
  const table = rows.map((r) =>
    [
      r.orders,
      r.generationMs,
      r.httpOrdersPerSec,
      r.httpsOrdersPerSec,
      r.rssAfterGenerationMB,
      r.rssAfterServingMB,
    ].map(String),
  );
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i])).join("  ");
  process.stdout.write(
    `Simulator bench: full order pages (limit=250, all fields), ${streams} concurrent streams, client in a separate process\n`,
  );
  process.stdout.write(line(header) + "\n" + widths.map((w) => "-".repeat(w)).join("  ") + "\n");
  for (const t of table) process.stdout.write(line(t) + "\n");
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack ?? e}\n`);
  process.exit(1);
});
