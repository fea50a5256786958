import { spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { request, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PgBoss } from "pg-boss";
import prisma from "../../app/db.server.ts";
import { enqueueSync, startQueue, SYNC_QUEUE } from "../../app/ingest/jobs.server.ts";
import { storeOfflineSession } from "../support/embedded.ts";
import { apiKey, apiSecret, startHarness, storedTotals, truthTotals, type Harness } from "../support/ingest-harness.ts";
import { expectStructured, killProcesses, startProcess, trackProcess } from "../support/app-process.ts";
import { signSessionToken } from "../support/session-token.ts";
import { apiVersion } from "../../app/lib/api-version.ts";

// The web server (`npm start`) and the worker (`npm run worker`) as real child processes against the
// test's database and the simulator: SIGTERM while a request is in flight and a sync is running, then
// the exit code, the JSON log lines, and the run left to resume.

let h: Harness;
let boss: PgBoss;
let shop: string;
let runId: number;

const ordersOf = async () => prisma.order.count({ where: { shop: { domain: shop } } });
const runOf = () => prisma.syncRun.findUniqueOrThrow({ where: { id: runId } });

beforeAll(async () => {
  h = await startHarness(prisma, [], { rateLimits: false });
  shop = await h.install({ name: "ops-shutdown", seed: 81, products: 10, customers: 40, orders: 5000 });
  await storeOfflineSession(h, shop);
  boss = await startQueue(process.env.DATABASE_URL!);
  // Slow order pages, so that a sync is mid-way when its process is told to stop.
  h.sim.control.addFault({ kind: "slow", delayMs: 400, shop, pathPrefix: `/admin/api/${apiVersion}/orders.json` });
});

afterAll(async () => {
  killProcesses();
  await boss?.stop({ graceful: false }).catch(() => {});
  await h?.close();
  await prisma.$disconnect();
});

/**
 * An orders/delete webhook whose body is sent in two parts: the rest when `finish` is called.
 * `taken` resolves once the server has read its headers and taken it as a request in flight: it asks
 * for `100 Continue`, which Node's server sends as it hands the request on.
 */
function slowWebhook(port: number) {
  const body = JSON.stringify({ id: 424242 });
  const req = request({
    host: "127.0.0.1",
    port,
    method: "POST",
    path: "/webhooks/records",
    headers: {
      "content-type": "application/json",
      "content-length": Buffer.byteLength(body),
      "x-shopify-topic": "orders/delete",
      "x-shopify-shop-domain": shop,
      "x-shopify-api-version": apiVersion,
      "x-shopify-webhook-id": randomUUID(),
      "x-shopify-hmac-sha256": createHmac("sha256", apiSecret).update(body).digest("base64"),
      expect: "100-continue",
    },
  });
  const taken = new Promise<void>((resolve) => req.once("continue", () => resolve()));
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on("response", (res: IncomingMessage) => {
      let text = "";
      res.on("data", (chunk: Buffer) => (text += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on("error", reject);
  });
  req.write(body.slice(0, 4));
  return { response, taken, finish: () => req.end(body.slice(4)) };
}

const refused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(false);
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code === "ECONNREFUSED"));
  });

describe("graceful shutdown", () => {
  it("the web server finishes the request in flight, hands its running sync back and exits 0 on SIGTERM", async () => {
    const web = startProcess(h, "scripts/start.ts", { PORT: "0", HOST: "127.0.0.1", SYNC_WORKER: "in-app" });
    const listening = await web.waitFor((line) => line.msg === "web server listening");
    const port = Number(listening.port);

    // The access log carries no session token or signature.
    const idToken = signSessionToken(shop, { apiKey, secret: apiSecret });
    await fetch(`http://127.0.0.1:${port}/app?embedded=1&shop=${shop}&host=aG9zdA&id_token=${idToken}&hmac=abc123`, {
      redirect: "manual",
    });
    const access = await web.waitFor((line) => line.msg === "request" && String(line.path).startsWith("/app?"));
    expect(access).toMatchObject({ method: "GET", shop, path: expect.stringContaining("id_token=[redacted]") });
    expect(access.path).toContain("hmac=[redacted]");
    expect(web.output()).not.toContain(idToken);
    expect(web.output()).not.toContain(apiSecret);

    ({
      run: { id: runId },
    } = await enqueueSync(boss, prisma, shop, "manual"));
    await expect.poll(ordersOf, { timeout: 60_000, interval: 100 }).toBeGreaterThanOrEqual(500);
    expect((await runOf()).status).toBe("running");

    const webhook = slowWebhook(port);
    await webhook.taken; // its headers and part of its body are in
    web.signalled("SIGTERM");
    const stopping = await web.waitFor((line) => line.msg === "web server stopping");
    expect(stopping).toMatchObject({ signal: "SIGTERM", inFlight: 1 });
    // No new connections once stopping; the one in flight is still answered.
    await expect.poll(() => refused(port), { timeout: 5_000, interval: 50 }).toBe(true);
    webhook.finish();
    expect(await webhook.response).toEqual({ status: 200, text: "" });

    const exit = await web.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.afterMs).toBeLessThan(30_000);
    expect(web.lines.at(-1)).toMatchObject({ level: "info", msg: "web server stopped", signal: "SIGTERM" });
    expect(web.lines).toContainEqual(
      expect.objectContaining({ msg: "request", method: "POST", path: "/webhooks/records", status: 200 }),
    );
    expect(web.lines).toContainEqual(
      expect.objectContaining({ msg: "sync job handed back; it resumes on the next worker", shop, runId }),
    );
    // Handed back once: a stopping worker takes no new sync.
    expect(web.lines.filter((line) => String(line.msg).startsWith("sync job handed back"))).toHaveLength(1);
    expectStructured(web);

    // Left to resume, not stuck running: queued again, its checkpoint saved, its job back in the queue.
    const run = await runOf();
    expect(run.status).toBe("queued");
    const state = await prisma.syncState.findFirstOrThrow({ where: { shop: { domain: shop }, resource: "orders" } });
    expect(state.cursor).not.toBeNull();
    expect(await ordersOf()).toBeLessThan(5000);
    const jobs = await prisma.$queryRawUnsafe<{ state: string }[]>(
      "SELECT state FROM pgboss.job WHERE name = $1 AND (data->>'runId')::int = $2 AND state IN ('created', 'retry')",
      SYNC_QUEUE,
      runId,
    );
    expect(jobs).toHaveLength(1);
  });

  it("the worker resumes the run, and on SIGTERM stops after the page in flight and exits 0", async () => {
    const before = await ordersOf();
    const worker = startProcess(h, "scripts/worker.ts");
    const resumed = await worker.waitFor((line) => line.msg === "pass resumed from its checkpoint");
    expect(resumed).toMatchObject({ shop, runId, jobId: expect.any(String), resource: "orders" });
    await expect.poll(ordersOf, { timeout: 60_000, interval: 100 }).toBeGreaterThan(before + 250);

    worker.signalled("SIGTERM");
    const exit = await worker.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(exit.afterMs).toBeLessThan(30_000);
    expect(worker.lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining([
        "worker stopping",
        "sync interrupted; it resumes from its last checkpoint",
        "worker stopped",
      ]),
    );
    expect(worker.lines.at(-1)).toMatchObject({ msg: "worker stopped", signal: "SIGTERM" });
    expectStructured(worker);
    expect((await runOf()).status).toBe("queued");
    expect(await ordersOf()).toBeLessThan(5000);
  });

  it("the next worker finishes the run from its checkpoint; an idle worker exits 0 on SIGINT too", async () => {
    h.sim.control.clearFaults();
    const worker = startProcess(h, "scripts/worker.ts");
    await expect
      .poll(async () => (await runOf()).status, { timeout: 60_000, interval: 200 })
      .toMatch(/^(succeeded|partial|failed)$/);
    const run = await runOf();
    expect(run.status).toBe("succeeded");
    expect((run.resources as { orders: { resumed: boolean } }).orders.resumed).toBe(true);
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
    await worker.waitFor((line) => line.msg === "sync finished" && line.runId === runId);

    worker.signalled("SIGINT");
    expect(await worker.exited).toMatchObject({ code: 0, signal: null });
    expect(worker.lines.at(-1)).toMatchObject({ msg: "worker stopped", signal: "SIGINT" });
    expectStructured(worker);
  });

  it("the web server stops in order when the process that started it (STOP_WITH_PID) dies outright", async () => {
    const parent = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    trackProcess(parent);
    const web = startProcess(h, "scripts/start.ts", {
      PORT: "0",
      HOST: "127.0.0.1",
      SYNC_WORKER: "off",
      STOP_WITH_PID: String(parent.pid),
    });
    await web.waitFor((line) => line.msg === "web server listening");
    parent.kill("SIGKILL");
    expect(await web.exited).toMatchObject({ code: 0, signal: null });
    expect(web.lines.at(-1)).toMatchObject({ msg: "web server stopped", signal: "SIGTERM" });
  });
});
