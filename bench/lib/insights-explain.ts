// Where the insights loaders spend their time, on the database `npm run bench:insights -- --keep` left:
// `npx node bench/lib/insights-explain.ts [--loader overview|inventory] [--query "range=…"] [--explain] [--setup SQL]`
// Calls the loader once to warm up, then once more recording every statement it sends through the
// pool (text, parameters, milliseconds), prints them slowest first and, with --explain, the plan
// (EXPLAIN (ANALYZE, BUFFERS)) of each statement that took more than --min-ms.
import { parseArgs } from "node:util";
import pg from "pg";
import { databaseServer, databaseUrl } from "../../scripts/lib/database.ts";
import { setAppEnv } from "./bench-env.ts";

const { values } = parseArgs({
  options: {
    loader: { type: "string", default: "overview" },
    query: { type: "string", default: "range=last_30_days&compare=previous_period" },
    explain: { type: "boolean", default: false },
    "min-ms": { type: "string", default: "20" },
    // Statements run first, to try an index: --setup 'CREATE INDEX … ; ANALYZE "order"' (undo them yourself).
    setup: { type: "string" },
  },
});

const server = await databaseServer("postgres-bench", 54331);
const url = databaseUrl(server.adminUrl, "si_bench_insights");
const admin = new pg.Client({ connectionString: server.adminUrl });
await admin.connect();
const { rows } = await admin.query<{ comment: string | null }>(
  "SELECT shobj_description(oid, 'pg_database') AS comment FROM pg_database WHERE datname = 'si_bench_insights'",
);
await admin.end();
if (!rows[0]?.comment) throw new Error("no kept database: run `npm run bench:insights -- --keep` first");
const now = new Date((JSON.parse(rows[0].comment) as { spec: { now: string } }).spec.now);
setAppEnv(url);
const { default: prisma, pool } = await import("../../app/db.server.ts");
const { overviewReport } = await import("../../app/insights/overview.server.ts");
const { inventoryReport } = await import("../../app/insights/inventory.server.ts");

interface Recorded {
  text: string;
  params: unknown[];
  ms: number;
}
let recording: Recorded[] | null = null;
const original = pool.query.bind(pool) as (text: string, params?: unknown[]) => Promise<pg.QueryResult>;
type Statement = string | { text: string; values?: unknown[] };
(pool as unknown as { query: (statement: Statement, params?: unknown[]) => Promise<pg.QueryResult> }).query = async (
  statement: Statement,
  params?: unknown[],
) => {
  const text = typeof statement === "string" ? statement : statement.text;
  const values = typeof statement === "string" ? params : statement.values;
  const started = performance.now();
  const result = await (original as (statement: Statement, params?: unknown[]) => Promise<pg.QueryResult>)(
    statement,
    params,
  );
  recording?.push({ text, params: values ?? [], ms: performance.now() - started });
  return result;
};

if (values.setup) await original(values.setup);

const call = () =>
  values.loader === "inventory"
    ? inventoryReport("insights.myshopify.com", new URLSearchParams(values.query), now)
    : overviewReport("insights.myshopify.com", new URLSearchParams(values.query), now);
await call();
recording = [];
const started = performance.now();
await call();
const total = performance.now() - started;
const recorded = recording;
recording = null;

console.log(`${values.loader} ${values.query}: ${total.toFixed(1)} ms, ${recorded.length} pool statements`);
const squash = (text: string) => text.replace(/\s+/g, " ").trim();
for (const r of [...recorded].sort((a, b) => b.ms - a.ms)) {
  console.log(
    `\n${r.ms.toFixed(1)} ms  ${squash(r.text).slice(0, 160)}…\n  params ${JSON.stringify(r.params).slice(0, 200)}`,
  );
}
if (values.explain) {
  for (const r of [...recorded].sort((a, b) => b.ms - a.ms)) {
    if (r.ms < Number(values["min-ms"])) continue;
    const plan = await original(`EXPLAIN (ANALYZE, BUFFERS) ${r.text}`, r.params);
    console.log(`\n===== ${r.ms.toFixed(1)} ms: ${squash(r.text).slice(0, 120)}…`);
    for (const row of plan.rows as { "QUERY PLAN": string }[]) console.log(row["QUERY PLAN"]);
  }
}
await prisma.$disconnect();
await server.stop();
process.exit(0);
