// `npm run demo`: the whole app offline. An embedded PostgreSQL (unless DATABASE_URL is set), the
// Shopify simulator with a seeded store, and the app's production build; the merchant's first visit
// is made as Shopify admin would make it (a session token, exchanged for an offline token), which
// installs the app and starts the first import. Then it prints the URL to open.
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDatabase, databaseServer, databaseUrl, dropDatabases, projectRoot } from "./lib/database.ts";
import { runPrisma } from "./lib/prisma.ts";
import { ensureLocalTokenKey } from "./lib/load-env.ts";
import { startSimulatorProcess, stopChild } from "./lib/simulator-process.ts";
import { webhookSubscriptions } from "./lib/webhook-subscriptions.ts";

const { values } = parseArgs({
  options: {
    port: { type: "string", default: process.env.PORT ?? "3000" },
    orders: { type: "string", default: "20000" },
    seed: { type: "string", default: "2026" },
    "exit-after-sync": { type: "boolean", default: false },
    help: { type: "boolean", default: false },
  },
});
if (values.help) {
  console.log(`Usage: npm run demo [-- --port 3000] [-- --orders 20000] [-- --seed 2026] [-- --exit-after-sync]`);
  process.exit(0);
}

// Log lines of this process and of the app's server are read by a person here.
process.env.LOG_FORMAT ??= "pretty";

const apiKey = "demo-api-key";
const apiSecret = "demo-api-secret";
const scopes = "read_products,read_orders,read_customers,read_inventory";
const shop = "demo.myshopify.com";
const appUrl = `http://localhost:${values.port}`;
const orders = Number(values.orders);

// A fresh database each time: the simulated store is generated anew, so yesterday's tokens are void.
const dbServer = await databaseServer();
await dropDatabases(dbServer.adminUrl, ["store_insights_demo"]);
await createDatabase(dbServer.adminUrl, "store_insights_demo");
process.env.DATABASE_URL = databaseUrl(dbServer.adminUrl, "store_insights_demo");
await runPrisma(["migrate", "deploy"], process.env.DATABASE_URL, { quiet: true });
console.log("Building the app …");
const build = spawnSync(path.join(projectRoot, "node_modules/.bin/remix"), ["vite:build"], {
  cwd: projectRoot,
  stdio: ["ignore", "ignore", "inherit"],
});
if (build.status !== 0) process.exit(1);

const sim = await startSimulatorProcess([
  "--shop",
  `demo:seed=${values.seed},orders=${orders},customers=${Math.round(orders / 6)},products=${Math.max(20, Math.round(orders / 150))},days=365,now=${new Date().toISOString()},plan=advanced,timezone=America/New_York,currency=USD`,
  "--app",
  `${apiKey}:${apiSecret}:${scopes}`,
]);
await fetch(`${sim.control}apps/${apiKey}/webhooks`, {
  method: "PUT",
  headers: { "content-type": "application/json" },
  body: JSON.stringify({ subscriptions: webhookSubscriptions(appUrl) }),
});

// The app's configuration, for the server and for this process (which reads the sync's progress).
ensureLocalTokenKey();
Object.assign(process.env, {
  SHOPIFY_API_KEY: apiKey,
  SHOPIFY_API_SECRET: apiSecret,
  SHOPIFY_APP_URL: appUrl,
  SCOPES: scopes,
  SHOPIFY_DISTRIBUTION: "single_merchant",
  APP_BRIDGE_URL: `${appUrl}/app-bridge-local.js`,
});
const server = spawn(process.execPath, [path.join(projectRoot, "scripts/start.ts")], {
  cwd: projectRoot,
  stdio: ["ignore", "pipe", "inherit"],
  env: {
    ...process.env,
    PORT: values.port,
    NODE_ENV: "production",
    SIMULATOR_HTTPS_PORT: new URL(sim.httpsUrl).port,
    SIMULATOR_CA_FILE: sim.certPaths.ca,
    NODE_OPTIONS: `--import ${path.join(projectRoot, "scripts/lib/shopify-network.ts")}`,
  },
});
// The app first (its worker hands back a sync in flight), then what it talks to.
const stopAll = async () => {
  await stopChild(server);
  await sim.stop();
};
// Whatever ends this process ends the app and the simulator too.
process.once("exit", () => server.kill("SIGTERM"));
process.once("uncaughtException", (error) => {
  console.error(error);
  void stopAll().finally(() => process.exit(1));
});
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => void stopAll().then(() => process.exit(0)));
server.stdout!.pipe(process.stdout);
const exited = new Promise<never>((_, reject) =>
  server.once("exit", (code) => reject(new Error(`The app exited (${code})`))),
);
exited.catch(() => {});
while (
  !(await Promise.race([
    fetch(`${appUrl}/healthz`).then(
      (r) => r.ok,
      () => false,
    ),
    exited,
  ]))
) {
  await new Promise((resolve) => setTimeout(resolve, 200));
}

// Shopify admin opens the app: a session token for the merchant, valid for a day in this demo.
const { token } = (await (
  await fetch(`${sim.control}shops/${shop}/apps/${apiKey}/session-token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ expiresInSec: 86_400 }),
  })
).json()) as { token: string };
const host = Buffer.from("admin.shopify.com/store/demo").toString("base64url");
const url = `${appUrl}/app?embedded=1&shop=${shop}&host=${host}&id_token=${token}`;
const first = await fetch(url, { headers: { "user-agent": "Mozilla/5.0 (demo) Chrome/130.0", accept: "text/html" } });
if (first.status !== 200) {
  console.error(`The app answered ${first.status} to the merchant's first visit.`);
  await stopAll();
  process.exit(1);
}

const { default: prisma } = await import("../app/db.server.ts");
const { formatProgressBars, formatSummary, progressOfRun } = await import("../app/ingest/progress-format.ts");
// The import's progress: bars redrawn in place on a terminal, a block every 5 s otherwise.
const interactive = process.stdout.isTTY;
console.log("Importing the demo store …");
let drawn = 0;
let printedAt = 0;
for (;;) {
  const run = await prisma.syncRun.findFirst({ where: { shop: { domain: shop } }, orderBy: { id: "desc" } });
  const progress = run ? progressOfRun(run, shop) : null;
  if (progress && ["succeeded", "partial", "failed"].includes(progress.status)) {
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

console.log(`\nOpen the app as the merchant of ${shop}:\n\n  ${url}\n`);
console.log(`The simulator's control surface: ${sim.control}  (Ctrl-C stops everything)`);
if (values["exit-after-sync"]) {
  await prisma.$disconnect();
  await stopAll();
  process.exit(0);
}
