// `npm run seal-tokens`: seals the tokens of every stored session with the current key at once: rows
// from before tokens were sealed, and rows sealed with a previous key (run it before dropping that
// key from TOKEN_ENCRYPTION_KEY_PREVIOUS). The app also does this row by row as it reads sessions.
import { loadDotEnv, requireConfiguration } from "./lib/load-env.ts";
import { prepareAppDatabase } from "./lib/app-database.ts";

loadDotEnv();
await prepareAppDatabase();
await requireConfiguration();
const { default: prisma } = await import("../app/db.server.ts");
const { configuredKeyring, sealStoredSessions } = await import("../app/lib/sealed-session-storage.server.ts");

const keys = configuredKeyring();
const report = await sealStoredSessions(prisma, keys);
console.log(
  `Sessions sealed with key ${keys.current.id}: ${report.sealed} now, ${report.current} already` +
    (report.changed ? `; ${report.changed} saved by the app meanwhile, left as saved` : "") +
    ".",
);
if (report.unreadable.length > 0) {
  console.warn(
    `${report.unreadable.length} could not be opened with the configured keys and were left as they are ` +
      `(their shops get new tokens on their next visit): ${report.unreadable.join(", ")}`,
  );
}
await prisma.$disconnect();
