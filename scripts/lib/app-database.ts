import { createDatabase, databaseServer, databaseUrl } from "./database.ts";
import { runPrisma } from "./prisma.ts";
import { log } from "../../app/lib/log.server.ts";

/**
 * The app's database, migrated: DATABASE_URL when set, otherwise the embedded server's
 * `store_insights` database. Sets DATABASE_URL for this process and its children.
 */
export async function prepareAppDatabase(): Promise<string> {
  let url = process.env.DATABASE_URL;
  if (!url) {
    const server = await databaseServer();
    await createDatabase(server.adminUrl, "store_insights");
    url = databaseUrl(server.adminUrl, "store_insights");
    log.info("using the embedded PostgreSQL", { host: new URL(url).host, dataDir: server.databaseDir });
  }
  process.env.DATABASE_URL = url;
  await runPrisma(["migrate", "deploy"], url, { quiet: true });
  return url;
}
