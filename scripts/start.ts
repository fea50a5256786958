// `npm start`: the production server (`remix-serve`), after applying pending migrations.
// Without DATABASE_URL it runs on the embedded PostgreSQL, which lives as long as this process.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "./lib/database.ts";
import { prepareAppDatabase } from "./lib/app-database.ts";
import { requireConfiguration } from "./lib/load-env.ts";

await prepareAppDatabase();
await requireConfiguration();
const serverBuild = path.join(projectRoot, "build/server/index.js");
if (!existsSync(serverBuild)) {
  console.error("No build found: run `npm run build` first.");
  process.exit(1);
}
const server = spawn(path.join(projectRoot, "node_modules/.bin/remix-serve"), [serverBuild], {
  stdio: "inherit",
  env: process.env,
});
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => server.kill(signal));
server.on("exit", (code) => process.exit(code ?? 0));
