import { createDatabase, databaseServer, databaseUrl } from "./database.ts";
import { runPrisma } from "./prisma.ts";

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
    console.log(`Using the embedded PostgreSQL at ${new URL(url).host} (data in ${server.databaseDir})`);
  }
  process.env.DATABASE_URL = url;
  await runPrisma(["migrate", "deploy"], url, { quiet: true });
  return url;
}
