// `npm run setup`: generate the Prisma client and apply pending migrations.
import { runPrisma } from "./lib/prisma.ts";
import { prepareAppDatabase } from "./lib/app-database.ts";

const url = await prepareAppDatabase();
await runPrisma(["generate"], url, { quiet: true });
console.log("Prisma client generated; migrations applied.");
process.exit(0);
