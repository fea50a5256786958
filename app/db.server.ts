import pg from "pg";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { env } from "./lib/env.server.ts";
import { log } from "./lib/log.server.ts";

// The database: one node-postgres pool per process, shared by the Prisma client (through its pg
// adapter) and by the ingestion's bulk statements (app/ingest/upsert.server.ts).

declare global {
  var databaseGlobal: { pool: pg.Pool; prisma: PrismaClient } | undefined;
}

export function createPrismaClient(connectionString: string | pg.Pool): PrismaClient {
  const pool = typeof connectionString === "string" ? new pg.Pool({ connectionString }) : connectionString;
  return new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
}

function connect() {
  const pool = new pg.Pool({ connectionString: env().DATABASE_URL, max: 10 });
  pool.on("error", (error) => log.error("idle database connection failed", { error }));
  // A connection lost while checked out (a restart, a dropped network) between two queries emits
  // its error on the client: without a listener that ends the process. The next query on it fails
  // and its holder sees the error; the pool then discards it.
  pool.on("connect", (client) => client.on("error", (error) => log.warn("database connection lost", { error })));
  return { pool, prisma: createPrismaClient(pool) };
}

// Kept on globalThis so that Vite's dev reloads (and the test harness) share one pool.
const database = (globalThis.databaseGlobal ??= connect());

export const pool = database.pool;
const prisma: PrismaClient = database.prisma;
export default prisma;
