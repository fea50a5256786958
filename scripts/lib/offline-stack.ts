// The app offline, as a merchant meets it: the Shopify simulator with one store (in a process of its
// own), the local Shopify admin (simulator/admin) framing the app, and the app's production server
// (scripts/start.ts) configured for both. Used by `npm run demo` and the browser vitals bench; the
// database (DATABASE_URL) and its migrations are the caller's.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync, type WriteStream } from "node:fs";
import path from "node:path";
import { startAdminShell, type AdminShell } from "../../simulator/admin/shell.ts";
import { projectRoot } from "./database.ts";
import { ensureLocalTokenKey } from "./load-env.ts";
import { startSimulatorProcess, stopChild, type SimulatorProcess } from "./simulator-process.ts";
import { webhookSubscriptions } from "./webhook-subscriptions.ts";
import { accessScopes } from "../../app/lib/access-scopes.ts";

const apiKey = "demo-api-key";
const apiSecret = "demo-api-secret";
const scopes = accessScopes.join(",");

/** As a browser sends requests: Shopify's library answers bots and unknown agents with 410. */
export const browserUserAgent =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36";

export interface OfflineStackOptions {
  shellPort: number;
  appPort: number;
  /** The store's name (name.myshopify.com) and the simulator's --shop options for it. */
  storeName: string;
  storeOptions: string;
  /** The simulator's state file (--state), if the store is kept between runs. */
  stateFile?: string;
  /** More simulator options (e.g. --no-rate-limits). */
  simulatorArgs?: string[];
  /** Where the app's log lines go. */
  appLog: WriteStream;
}

export interface OfflineStack {
  shop: string;
  appUrl: string;
  shell: AdminShell;
  sim: SimulatorProcess;
  /** Rejects when the app's server exits. */
  appExited: Promise<never>;
  /** A session token for the store's merchant, as admin mints them (valid a minute). */
  sessionToken(): Promise<string>;
  /** Admin opening the app at `path`: installs it (token exchange) on the first visit. Its status. */
  visit(path: string): Promise<number>;
  /** "Sync now", as the app's page sends it. Its status. */
  requestSync(): Promise<number>;
  /** The app first (its worker hands back a sync in flight), then the shell and the simulator. */
  stop(): Promise<void>;
}

/** When the newest file the build is made from was changed (ms). */
function newestSource(): number {
  const sources = ["app", "public"].flatMap((dir) =>
    readdirSync(path.join(projectRoot, dir), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name)),
  );
  sources.push(...["vite.config.ts", "package-lock.json", "tsconfig.json"].map((file) => path.join(projectRoot, file)));
  return Math.max(...sources.map((file) => statSync(file).mtimeMs));
}

/** Builds the app for production unless a build newer than every source is there. False if it failed. */
export function buildAppIfStale(onBuild: () => void): boolean {
  const entry = path.join(projectRoot, "build/server/index.js");
  if (existsSync(entry) && statSync(entry).mtimeMs >= newestSource()) return true;
  onBuild();
  const build = spawnSync(path.join(projectRoot, "node_modules/.bin/remix"), ["vite:build"], {
    cwd: projectRoot,
    encoding: "utf8",
  });
  if (build.status !== 0) console.error(build.stdout, build.stderr);
  return build.status === 0;
}

export async function startOfflineStack(options: OfflineStackOptions): Promise<OfflineStack> {
  const shop = `${options.storeName}.myshopify.com`;
  // The simulator and the app stop by themselves if this process dies without stopping them
  // (kill -9), so a next run finds its ports free.
  process.env.STOP_WITH_PID = String(process.pid);
  const appUrl = `http://localhost:${options.appPort}`;
  const sim = await startSimulatorProcess([
    "--shop",
    `${options.storeName}:${options.storeOptions}`,
    "--app",
    `${apiKey}:${apiSecret}:${scopes}`,
    ...(options.stateFile ? ["--state", options.stateFile] : []),
    ...(options.simulatorArgs ?? []),
  ]);
  await fetch(`${sim.control}apps/${apiKey}/webhooks`, {
    method: "PUT",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ subscriptions: webhookSubscriptions(appUrl) }),
  });
  const shell = await startAdminShell({
    port: options.shellPort,
    appUrl,
    appName: "Store Insights",
    appHandle: "store-insights",
    apiKey,
    shop,
    control: sim.control,
  });

  // The app's configuration, for its server and for the caller (which may read the database).
  ensureLocalTokenKey();
  Object.assign(process.env, {
    SHOPIFY_API_KEY: apiKey,
    SHOPIFY_API_SECRET: apiSecret,
    SHOPIFY_APP_URL: appUrl,
    SCOPES: scopes,
    SHOPIFY_DISTRIBUTION: "single_merchant",
    APP_BRIDGE_URL: shell.appBridgeUrl,
  });
  const server: ChildProcess = spawn(process.execPath, [path.join(projectRoot, "scripts/start.ts")], {
    cwd: projectRoot,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      LOG_FORMAT: "json",
      PORT: String(options.appPort),
      NODE_ENV: "production",
      SIMULATOR_HTTPS_PORT: new URL(sim.httpsUrl).port,
      SIMULATOR_CA_FILE: sim.certPaths.ca,
      NODE_OPTIONS: `--import ${path.join(projectRoot, "scripts/lib/shopify-network.ts")}`,
    },
  });
  server.stdout!.pipe(options.appLog, { end: false });
  server.stderr!.pipe(options.appLog, { end: false });
  const appExited = new Promise<never>((_, reject) =>
    server.once("exit", (code) => reject(new Error(`The app exited (${code})`))),
  );
  appExited.catch(() => {});
  const stop = async () => {
    await shell.close();
    await stopChild(server);
    await sim.stop();
  };
  try {
    while (
      !(await Promise.race([
        fetch(`${appUrl}/healthz`).then(
          (r) => r.ok,
          () => false,
        ),
        appExited,
      ]))
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } catch (error) {
    await stop();
    throw error;
  }

  const sessionToken = async () => {
    const response = await fetch(`${sim.control}shops/${shop}/apps/${apiKey}/session-token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ expiresInSec: 60 }),
    });
    return ((await response.json()) as { token: string }).token;
  };
  const host = Buffer.from(`admin.shopify.com/store/${options.storeName}`).toString("base64url");
  return {
    shop,
    appUrl,
    shell,
    sim,
    appExited,
    sessionToken,
    async visit(pagePath) {
      const url = `${appUrl}${pagePath}?embedded=1&shop=${shop}&host=${host}&id_token=${await sessionToken()}`;
      const response = await fetch(url, { headers: { "user-agent": browserUserAgent, accept: "text/html" } });
      await response.arrayBuffer();
      return response.status;
    },
    async requestSync() {
      const response = await fetch(`${appUrl}/app/sync`, {
        method: "POST",
        headers: {
          "user-agent": browserUserAgent,
          authorization: `Bearer ${await sessionToken()}`,
          "content-type": "application/x-www-form-urlencoded",
        },
        body: "intent=sync",
      });
      await response.arrayBuffer();
      return response.status;
    },
    stop,
  };
}
