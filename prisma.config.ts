import { defineConfig } from "prisma/config";
import { PrismaPg } from "@prisma/adapter-pg";

// The CLI talks to PostgreSQL through the driver adapter and the WebAssembly schema engine that ship
// inside npm packages, so migrations need no downloaded engine binaries. Discrete connection fields
// (not a connection string) let the adapter point its shadow database pool at the shadow database.
function connectionFields(url: string) {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.slice(1)),
    // Idle pooled connections must not keep the CLI process alive after the command has finished.
    allowExitOnIdle: true,
    idleTimeoutMillis: 100,
  };
}

export default defineConfig({
  experimental: { adapter: true },
  engine: "js",
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  async adapter() {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set (run Prisma through `npm run prisma -- …`)");
    return new PrismaPg(connectionFields(url));
  },
});
