import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import { env } from "./lib/env.server.ts";

declare global {
  var prismaGlobal: PrismaClient | undefined;
}

export function createPrismaClient(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString }) });
}

// One client per process; kept on globalThis so Vite's dev reloads do not open new pools.
const prisma: PrismaClient = (globalThis.prismaGlobal ??= createPrismaClient(env().DATABASE_URL));

export default prisma;
