import { z } from "zod";
import { decodeTokenKey } from "./token-encryption.server.ts";
import { accessScopes } from "./access-scopes.ts";

// The process's configuration is read here, and only here: other modules import `env` (or the
// logger's settings below), never `process.env`.
//
// It is validated once, where a process starts: `requireConfiguration` (scripts/lib/load-env.ts) in
// `npm start`, `npm run worker`, `npm run sync` and `npm run seal-tokens`, before any app module
// loads, lists every problem and exits; the dev server validates it as app/entry.server.tsx loads
// (app/shopify.server.ts reads it at import). Tests and benches set their variables first and
// validate on their first `env()`.

const scopeList = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((scope) => scope.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string()).min(1, "must list at least one access scope"));

// Messages name the variable, never its value.
const KEY_FORMAT = "must be 32 bytes in base64, e.g. from `openssl rand -base64 32`";
const tokenKey = z.string().refine((value) => decodeTokenKey(value) !== undefined, KEY_FORMAT);
const previousTokenKeys = z
  .string()
  .transform((value) =>
    value
      .split(",")
      .map((key) => key.trim())
      .filter(Boolean),
  )
  .superRefine((keys, context) => {
    keys.forEach((key, index) => {
      if (decodeTokenKey(key) === undefined) {
        context.addIssue({ code: "custom", message: `key ${index + 1} of ${keys.length} ${KEY_FORMAT}` });
      }
    });
  });

const schema = z.object({
  SHOPIFY_API_KEY: z.string().min(1),
  SHOPIFY_API_SECRET: z.string().min(1),
  SHOPIFY_APP_URL: z.url({ protocol: /^https?$/ }),
  SCOPES: scopeList.default([...accessScopes]),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }),
  // Seals the access and refresh tokens in the Session table (AES-256-GCM).
  TOKEN_ENCRYPTION_KEY: tokenKey,
  // Keys that sealed older rows, comma-separated: still opened, and those rows are sealed again.
  TOKEN_ENCRYPTION_KEY_PREVIOUS: previousTokenKeys.default([]),
  // "app_store" (public app, Shopify's default) or "single_merchant" (custom app for one retailer).
  SHOPIFY_DISTRIBUTION: z.enum(["app_store", "single_merchant"]).default("app_store"),
  SHOP_CUSTOM_DOMAIN: z.string().optional(),
  // Where the app's pages load App Bridge from; only set for offline runs (Shopify's CDN is unreachable).
  APP_BRIDGE_URL: z.url().optional(),
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  // Background sync: "in-app" runs the worker inside the web process; "off" leaves it to `npm run worker`.
  SYNC_WORKER: z.enum(["in-app", "off"]).default("in-app"),
  SYNC_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  // Minutes between scheduled incremental syncs of every installed shop; 0 disables the schedule.
  SYNC_INTERVAL_MINUTES: z.coerce.number().int().min(0).default(60),
  // Days an uninstalled shop's data is kept before it is purged (a reinstall within them keeps it).
  UNINSTALL_GRACE_DAYS: z.coerce.number().min(0).default(2),
});

export type Env = z.infer<typeof schema>;

export class ConfigurationError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}\nSee .env.example.`);
    this.name = "ConfigurationError";
    this.problems = problems;
  }
}

export function parseEnv(input: Record<string, string | undefined>): Env {
  // An empty value (`KEY=` in .env) means unset.
  const source = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== ""));
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = issue.path.join(".");
    return source[name] === undefined ? `${name} is missing` : `${name} is invalid: ${issue.message}`;
  });
  throw new ConfigurationError(problems);
}

let cached: Env | undefined;

/** The validated configuration of this process (parsed once; see above for where). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

const LOG_LEVELS = ["debug", "info", "warn", "error", "silent"] as const;

/** What the logger prints: lines at `level` and above, as one JSON object a line or `pretty`. */
export interface LogSettings {
  level: (typeof LOG_LEVELS)[number];
  format: "json" | "pretty";
}

/**
 * LOG_LEVEL (debug, info, warn, error, silent; info when unset or unknown) and LOG_FORMAT (`pretty`,
 * else JSON). Not part of env(): the logger must work before the configuration is valid, to say that
 * it is not. Read at each call, so that a script can choose them after its imports ran and a test can
 * change them while it runs.
 */
export function logSettings(): LogSettings {
  const level = process.env.LOG_LEVEL?.toLowerCase();
  return {
    level: LOG_LEVELS.find((known) => known === level) ?? "info",
    format: process.env.LOG_FORMAT === "pretty" ? "pretty" : "json",
  };
}

// The values of the process's secret settings (the API secret, keys, passwords), which the logger
// takes out wherever they appear. Listing process.env is slow (every line of a webhook burst paid for
// it), so the list is read again at most once a second; the app's own secrets are read each time.
const APP_SECRETS = ["SHOPIFY_API_SECRET", "TOKEN_ENCRYPTION_KEY", "TOKEN_ENCRYPTION_KEY_PREVIOUS"];
let listed: { values: string[]; readAt: number } | null = null;

/** The values (8 characters or more) of the variables named like secrets, the app's own first. */
export function secretValues(): string[] {
  const now = Date.now();
  if (!listed || now - listed.readAt > 1000) {
    const values = Object.entries(process.env)
      .filter(([name, value]) => /SECRET|PASSWORD|TOKEN|ENCRYPTION|PRIVATE/.test(name) && (value?.length ?? 0) >= 8)
      .map(([, value]) => value!);
    listed = { values, readAt: now };
  }
  const own = APP_SECRETS.map((name) => process.env[name]).filter(
    (value): value is string => (value?.length ?? 0) >= 8,
  );
  return [...new Set([...own, ...listed.values])];
}
