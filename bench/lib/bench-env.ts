// What every bench gives the app it measures: the app's key and secret (the simulator's app too), the
// Node settings of a worker process, and the app's environment.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";

export const API_KEY = "bench-key";
export const API_SECRET = "bench-secret";

/**
 * The Node settings `npm run worker` gives a worker process (package.json): a small young generation
 * keeps resident memory flat (the default one alone grows to ~190 MB on a machine with this much RAM),
 * a larger first old generation spares the main thread constant full collections (decoder.server.ts),
 * and --expose-gc lets the decoding thread collect between pages.
 */
export const WORKER_FLAGS = (
  JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
    scripts: { worker: string };
  }
).scripts.worker
  .split(/\s+/)
  .filter((word) => word.startsWith("--"));

/**
 * Sets the app's environment in process.env, and returns it, for an app on the database at `url`: the
 * bench's app key, no sync worker inside the app's process, and a token encryption key of this run's
 * own (the app needs one to start; a bench that stores sessions has them sealed with it, and its app
 * processes get it with the environment). `more` adds to it.
 */
export function setAppEnv(url: string, more: Record<string, string> = {}): NodeJS.ProcessEnv {
  return Object.assign(process.env, {
    DATABASE_URL: url,
    SHOPIFY_API_KEY: API_KEY,
    SHOPIFY_API_SECRET: API_SECRET,
    SHOPIFY_APP_URL: "https://bench.invalid",
    SYNC_WORKER: "off",
    TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
    ...more,
  });
}
