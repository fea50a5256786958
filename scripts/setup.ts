// `npm run setup`: generate the Prisma client, apply pending migrations, and give a local checkout its
// TOKEN_ENCRYPTION_KEY in .env when it has none (not in production, which must set its own).
import { runPrisma } from "./lib/prisma.ts";
import { prepareAppDatabase } from "./lib/app-database.ts";
import { ensureLocalTokenKey } from "./lib/load-env.ts";

const url = await prepareAppDatabase();
await runPrisma(["generate"], url, { quiet: true });
if (process.env.NODE_ENV !== "production") ensureLocalTokenKey();
console.log("Prisma client generated; migrations applied.");
process.exit(0);
