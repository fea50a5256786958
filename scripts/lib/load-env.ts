import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parseEnv } from "node:util";
import { projectRoot } from "./database.ts";

const dotEnvFile = path.join(projectRoot, ".env");

/** Reads the project's .env, if there is one, without overriding variables already set. */
export function loadDotEnv(): void {
  if (existsSync(dotEnvFile)) process.loadEnvFile(dotEnvFile);
}

/**
 * Local runs (demo, setup): TOKEN_ENCRYPTION_KEY from the environment or .env, else a new key written
 * into .env (git-ignored) so stored sessions stay readable from one run to the next. Production sets
 * its own key; nothing here runs there. The key is never printed.
 */
export function ensureLocalTokenKey(file = dotEnvFile): void {
  if (process.env.TOKEN_ENCRYPTION_KEY) return;
  const existing = existsSync(file) ? readFileSync(file, "utf8") : "";
  const configured = parseEnv(existing).TOKEN_ENCRYPTION_KEY;
  if (configured) {
    process.env.TOKEN_ENCRYPTION_KEY = configured;
    return;
  }
  const key = randomBytes(32).toString("base64");
  const line = `TOKEN_ENCRYPTION_KEY=${key}`;
  const empty = /^TOKEN_ENCRYPTION_KEY=[ \t]*$/m;
  if (empty.test(existing)) {
    writeFileSync(file, existing.replace(empty, line));
  } else {
    const separator = existing && !existing.endsWith("\n") ? "\n" : "";
    const comment = "# Seals the Shopify tokens stored in the Session table (generated for local runs).";
    appendFileSync(file, `${separator}${comment}\n${line}\n`, { mode: 0o600 });
  }
  process.env.TOKEN_ENCRYPTION_KEY = key;
  console.log("Generated a TOKEN_ENCRYPTION_KEY into .env");
}

/** Checks the app's configuration once; a problem ends the process with its list, not a stack trace. */
export async function requireConfiguration(): Promise<void> {
  const { env, ConfigurationError } = await import("../../app/lib/env.server.ts");
  try {
    env();
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    const { log } = await import("../../app/lib/log.server.ts");
    log.error("invalid configuration: see .env.example", { problems: error.problems });
    process.exit(1);
  }
}
