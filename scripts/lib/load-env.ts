import { existsSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "./database.ts";

/** Reads the project's .env, if there is one, without overriding variables already set. */
export function loadDotEnv(): void {
  const file = path.join(projectRoot, ".env");
  if (existsSync(file)) process.loadEnvFile(file);
}
