import { existsSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "./database.ts";

/** Reads the project's .env, if there is one, without overriding variables already set. */
export function loadDotEnv(): void {
  const file = path.join(projectRoot, ".env");
  if (existsSync(file)) process.loadEnvFile(file);
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
