// `npm run prisma -- <command>`: Prisma's CLI against the app's database (embedded when DATABASE_URL is unset),
// e.g. `npm run prisma -- migrate dev --name add_something`.
import { runPrisma } from "./lib/prisma.ts";
import { createDatabase, databaseServer, databaseUrl } from "./lib/database.ts";

let url = process.env.DATABASE_URL;
if (!url) {
  const server = await databaseServer();
  await createDatabase(server.adminUrl, "store_insights");
  url = databaseUrl(server.adminUrl, "store_insights");
}
try {
  await runPrisma(process.argv.slice(2), url);
  process.exit(0);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
