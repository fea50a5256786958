// Command line front end: node simulator/cli.ts --help
import { parseArgs } from "node:util";
import { StateFileError, startSimulator } from "./index.ts";
import type { AppSpec, PlanName, ShopSpec, Simulator, SimulatorOptions } from "./index.ts";

const ALL_TOPICS = [
  "orders/create",
  "orders/updated",
  "orders/cancelled",
  "orders/fulfilled",
  "orders/delete",
  "refunds/create",
  "products/create",
  "products/update",
  "products/delete",
  "customers/create",
  "customers/update",
  "customers/delete",
  "app/uninstalled",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
];

export const HELP = `Offline Shopify simulator (REST Admin API, OAuth, rate limits, webhooks, faults).

Usage:
  npm run simulator -- [options]   (or: node simulator/cli.ts [options])

Options:
  --host HOST              Address to listen on (default 127.0.0.1)
  --port N                 HTTP port (default 4100; 0 = ephemeral)
  --https-port N           HTTPS port (default 4443; 0 = ephemeral)
  --cert-dir DIR           Where ca.pem, cert.pem and key.pem are written (default: a temp dir)
  --shop SPEC              A shop, repeatable. SPEC = name[:key=value,...] with keys
                             seed, orders, customers, products, days, now (ISO), plan
                             (basic|shopify|advanced|shopify_plus|unlimited), currency,
                             timezone (IANA), protected (true|false), big (products with >100 variants)
                           e.g. --shop acme:seed=1,orders=5000,plan=basic,timezone=America/New_York
  --app KEY:SECRET:SCOPES  An app, repeatable; SCOPES comma separated
                           e.g. --app KEY:SECRET:read_products,read_orders,read_customers
  --webhook URI            Subscribe every app to every webhook topic at URI (repeatable)
  --expiring               Print expiring offline tokens (with refresh tokens)
  --no-rate-limits         Disable the leaky buckets (benches)
  --webhook-attempts N     Delivery attempts per webhook (default 8)
  --webhook-delay-ms N     Base retry delay, doubled per attempt (default 1000)
  --webhook-timeout-ms N   An answer slower than this is a failed attempt (default 5000)
  --state FILE             Keep the simulator's state in FILE (JSON lines) across runs: every shop,
                             every change made through the control surface and every token. If FILE
                             exists the previous run is restored (no webhooks are sent again) and the
                             shops and apps stored in it are used; --shop/--app may then be left out,
                             and any that differ are ignored with a warning. Apps uninstalled in an
                             earlier run stay uninstalled; installed ones keep their tokens.
  --json                   Print the startup summary as JSON
  -h, --help               Show this help

Once running, the control surface is at http://HOST:PORT/_simulator/ (see simulator/README.md).
Shops are selected by the Host header {name}.myshopify.com, e.g.:
  curl --cacert CERT_DIR/ca.pem --resolve acme.myshopify.com:4443:127.0.0.1 \\
    -H "X-Shopify-Access-Token: TOKEN" https://acme.myshopify.com:4443/admin/api/2026-01/orders.json
`;

function fail(msg: string): never {
  process.stderr.write(`error: ${msg}\n\n${HELP}`);
  process.exit(2);
}

export function parseShop(spec: string): ShopSpec {
  const [name, rest] = spec.split(/:(.*)/s, 2);
  if (!name) fail(`invalid --shop ${spec}`);
  const shop: ShopSpec = { name };
  if (!rest) return shop;
  for (const pair of rest.split(",")) {
    const [k, v] = pair.split("=", 2);
    if (v === undefined) fail(`invalid --shop option ${pair}`);
    const num = () => {
      const n = Number(v);
      if (!Number.isFinite(n)) fail(`--shop ${k} must be a number`);
      return n;
    };
    switch (k) {
      case "seed":
        shop.seed = num();
        break;
      case "orders":
        shop.orders = num();
        break;
      case "customers":
        shop.customers = num();
        break;
      case "products":
        shop.products = num();
        break;
      case "days":
        shop.days = num();
        break;
      case "big":
      case "bigVariantProducts":
        shop.bigVariantProducts = num();
        break;
      case "now":
        shop.now = v;
        break;
      case "plan":
        shop.plan = v as PlanName;
        break;
      case "currency":
        shop.currency = v;
        break;
      case "timezone":
      case "tz":
        shop.timezone = v;
        break;
      case "protected":
      case "protectedCustomerData":
        shop.protectedCustomerData = v !== "false" && v !== "0";
        break;
      default:
        fail(`unknown --shop option ${k}`);
    }
  }
  return shop;
}

export function parseApp(spec: string): AppSpec {
  const [apiKey, apiSecret, scopes] = spec.split(":");
  if (!apiKey || !apiSecret) fail(`invalid --app ${spec} (expected KEY:SECRET:SCOPES)`);
  return { apiKey, apiSecret, scopes: (scopes ?? "").split(",").filter(Boolean) };
}

/** An offline token the CLI prints, of one app on one shop. */
interface OfflineToken {
  shop: string;
  apiKey: string;
  accessToken: string;
  refreshToken?: string;
  scope: string;
}

/** The command line's options; a bad one ends the process with its reason. */
function parseOptions() {
  try {
    return parseArgs({
      options: {
        host: { type: "string" },
        port: { type: "string" },
        "https-port": { type: "string" },
        "cert-dir": { type: "string" },
        shop: { type: "string", multiple: true },
        app: { type: "string", multiple: true },
        webhook: { type: "string", multiple: true },
        expiring: { type: "boolean" },
        "no-rate-limits": { type: "boolean" },
        "webhook-attempts": { type: "string" },
        "webhook-delay-ms": { type: "string" },
        "webhook-timeout-ms": { type: "string" },
        state: { type: "string" },
        json: { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
      allowPositionals: false,
    }).values;
  } catch (e) {
    fail((e as Error).message);
  }
}

async function main(): Promise<void> {
  const v = parseOptions();
  if (v.help) {
    process.stdout.write(HELP);
    return;
  }
  const apps = (v.app ?? []).map(parseApp);
  const hooks = v.webhook ?? [];
  for (const app of apps) app.webhooks = hooks.map((uri) => ({ topics: ALL_TOPICS, uri }));
  const shops = (v.shop ?? []).map(parseShop);
  const options: SimulatorOptions = {
    host: v.host ?? "127.0.0.1",
    port: v.port !== undefined ? Number(v.port) : 4100,
    httpsPort: v["https-port"] !== undefined ? Number(v["https-port"]) : 4443,
    certDir: v["cert-dir"],
    rateLimits: !v["no-rate-limits"],
    apps,
    shops,
    webhookRetry: {
      attempts: Number(v["webhook-attempts"] ?? 8),
      baseDelayMs: Number(v["webhook-delay-ms"] ?? 1000),
      timeoutMs: Number(v["webhook-timeout-ms"] ?? 5000),
    },
    state: v.state,
  };
  let sim;
  try {
    sim = await startSimulator(options);
  } catch (e) {
    if (e instanceof StateFileError) {
      process.stderr.write(`error: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  for (const warning of sim.state?.warnings ?? []) process.stderr.write(`warning: ${warning}\n`);
  const restored = sim.state?.restored === true;
  // a restored run serves the shops and apps of its state file
  if (sim.state) {
    shops.splice(0, shops.length, ...sim.state.shops);
    apps.splice(0, apps.length, ...sim.state.apps);
  }
  if (restored && hooks.length > 0)
    for (const app of apps)
      sim.control.setWebhooks(
        app.apiKey,
        hooks.map((uri) => ({ topics: ALL_TOPICS, uri })),
      );
  const tokens: OfflineToken[] = [];
  for (const shop of shops) {
    for (const app of apps) {
      // a restored installation keeps its tokens, and an uninstalled app stays uninstalled
      const t = restored
        ? sim.currentToken(shop.name, app.apiKey, { expiring: v.expiring === true })
        : sim.installApp(shop.name, app.apiKey, { expiring: v.expiring === true });
      if (t) tokens.push({ shop: `${shop.name}.myshopify.com`, apiKey: app.apiKey, ...t });
    }
  }
  const summary = {
    url: sim.url,
    httpsUrl: sim.httpsUrl,
    control: `${sim.url}/_simulator/`,
    certPaths: sim.certPaths,
    shops: shops.map((s) => `${s.name}.myshopify.com`),
    tokens,
    ...(sim.state ? { state: { file: sim.state.file, restored, changes: sim.state.changes } } : {}),
  };
  if (v.json) process.stdout.write(JSON.stringify(summary) + "\n");
  else printSummary(sim, summary, shops, restored);
  stopOnSignals(sim);
}

/** The summary as text: where the simulator listens, its shops and their tokens, and a first request. */
function printSummary(
  sim: Simulator,
  summary: { shops: string[]; tokens: OfflineToken[] },
  shops: ShopSpec[],
  restored: boolean,
): void {
  const { tokens } = summary;
  const httpsPort = new URL(sim.httpsUrl).port;
  const lines = [
    `Shopify simulator listening`,
    `  HTTP     ${sim.url}`,
    `  HTTPS    ${sim.httpsUrl}`,
    `  control  ${sim.url}/_simulator/`,
    `  CA cert  ${sim.certPaths.ca}`,
    ...(sim.state
      ? [`  state    ${sim.state.file} (${restored ? `restored, ${sim.state.changes} changes replayed` : "new"})`]
      : []),
    ``,
    `Shops: ${summary.shops.join(", ") || "(none; POST /_simulator/shops to add one)"}`,
    `Offline access tokens:`,
    ...tokens.map(
      (t) =>
        `  ${t.shop}  ${t.apiKey}  ${t.accessToken}${t.refreshToken ? `  refresh=${t.refreshToken}` : ""}  scope=${t.scope}`,
    ),
    ``,
    `Try: curl --cacert ${sim.certPaths.ca} --resolve ${shops[0]?.name ?? "acme"}.myshopify.com:${httpsPort}:${new URL(sim.url).hostname} \\`,
    `       -H "X-Shopify-Access-Token: ${tokens[0]?.accessToken ?? "TOKEN"}" https://${shops[0]?.name ?? "acme"}.myshopify.com:${httpsPort}/admin/api/2026-01/shop.json`,
    ``,
  ];
  process.stdout.write(lines.join("\n") + "\n");
}

/** Stops on SIGINT or SIGTERM, and with the process STOP_WITH_PID names when that one dies. */
function stopOnSignals(sim: Simulator): void {
  const stop = async () => {
    await sim.close();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
  // Started by a process that may die without stopping it (STOP_WITH_PID): stop with it.
  const parent = Number(process.env.STOP_WITH_PID);
  if (Number.isInteger(parent) && parent > 0) {
    setInterval(() => {
      try {
        process.kill(parent, 0);
      } catch {
        void stop();
      }
    }, 1000).unref();
  }
}

if (import.meta.main) {
  main().catch((e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  });
}
