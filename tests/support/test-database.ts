import { randomBytes } from "node:crypto";
import { inject } from "vitest";
import { createDatabase, databaseUrl } from "../../scripts/lib/database.ts";
import { accessScopes } from "../../app/lib/access-scopes.ts";

// Runs before each test file: its own database (a copy of the migrated template) and test credentials,
// set before any app module reads its configuration.
const name = `${inject("databasePrefix")}${randomBytes(4).toString("hex")}`;
await createDatabase(inject("databaseAdminUrl"), name, inject("databaseTemplate"));

process.env.DATABASE_URL = databaseUrl(inject("databaseAdminUrl"), name);
process.env.SHOPIFY_API_KEY ??= "test-api-key";
process.env.SHOPIFY_API_SECRET ??= "test-api-secret";
// Each file its own key, as its own database: nothing sealed in one file opens in another.
process.env.TOKEN_ENCRYPTION_KEY ??= randomBytes(32).toString("base64");
process.env.SHOPIFY_APP_URL ??= "https://insights.example.test";
process.env.SCOPES ??= accessScopes.join(",");
process.env.NODE_ENV = "test";
// App log lines stay out of the test report (LOG_LEVEL=debug brings them back).
process.env.LOG_LEVEL ??= "silent";
// Background work is started explicitly by the tests that exercise it.
process.env.SYNC_WORKER ??= "off";
process.env.SYNC_INTERVAL_MINUTES ??= "0";
