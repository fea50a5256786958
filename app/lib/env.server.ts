import { z } from "zod";
import { decodeTokenKey } from "./token-encryption.server.ts";
import { accessScopes } from "./access-scopes.ts";

// Configuration is read and validated once, here. Other modules import `env`, never `process.env`.

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

/** The validated configuration of this process, parsed on first use. */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
