import { createServer, connect, type Server, type Socket } from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerBuild } from "@remix-run/node";
import { projectRoot } from "../../scripts/lib/database.ts";
import { startAppServer, type AppServer } from "../support/app-server.ts";

// /healthz and /readyz over HTTP against the built app, whose database is reached through a TCP
// proxy the test can cut: the database (and the queue in it) going away and coming back.

/** A TCP proxy to the test's PostgreSQL that can refuse connections and drop the open ones. */
async function databaseProxy(target: URL) {
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  let port = 0;
  const listen = async () => {
    server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        sockets.add(socket);
        socket.on("close", () => sockets.delete(socket));
        socket.on("error", () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server!.listen(port, "127.0.0.1", resolve));
    port = (server!.address() as { port: number }).port;
  };
  await listen();
  return {
    port: () => port,
    async down() {
      await new Promise((resolve) => {
        server!.close(resolve);
        for (const socket of sockets) socket.destroy();
      });
    },
    up: listen,
  };
}

const realUrl = new URL(process.env.DATABASE_URL!);
let proxy: Awaited<ReturnType<typeof databaseProxy>>;
let app: AppServer;
let proxiedUrl: URL;

beforeAll(async () => {
  proxy = await databaseProxy(realUrl);
  proxiedUrl = new URL(realUrl);
  proxiedUrl.host = `127.0.0.1:${proxy.port()}`;
  // Read once by the app when it first needs its configuration, which is below.
  process.env.DATABASE_URL = proxiedUrl.toString();
  app = await startAppServer();
});

afterAll(async () => {
  const build = (await import(path.join(projectRoot, "build/server/index.js"))) as ServerBuild;
  await (build.entry.module as { shutdown?: () => Promise<void> }).shutdown?.();
  await app?.close();
  await proxy?.down();
});

async function get(pathname: string) {
  const response = await fetch(`${app.url}${pathname}`);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe("health endpoints", () => {
  it("/healthz answers 200 without authentication or a database", async () => {
    const response = await get("/healthz");
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ status: "ok" });
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("/readyz answers 200 with each check when the database and the queue answer", async () => {
    const response = await get("/readyz");
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({
      status: "ready",
      checks: {
        database: { status: "ok", latencyMs: expect.any(Number) },
        queue: { status: "ok", latencyMs: expect.any(Number) },
      },
    });
  });

  it("/readyz answers 503 naming the failed checks while the database is gone, /healthz still 200, and recovers", async () => {
    await proxy.down();
    const response = await get("/readyz");
    expect(response.status).toBe(503);
    const body = JSON.parse(response.text);
    expect(body).toEqual({
      status: "unavailable",
      checks: {
        database: { status: "failed", latencyMs: expect.any(Number), reason: "connection refused" },
        queue: { status: "failed", latencyMs: expect.any(Number), reason: expect.any(String) },
      },
    });
    // Short reasons only: no error text, stack, or connection string.
    for (const secret of [proxiedUrl.toString(), proxiedUrl.host, "postgres", " at ", "Error"]) {
      expect(response.text).not.toContain(secret);
    }
    expect((await get("/healthz")).status).toBe(200);

    await proxy.up();
    await expect.poll(async () => (await get("/readyz")).status, { timeout: 20_000, interval: 250 }).toBe(200);
  });
});
