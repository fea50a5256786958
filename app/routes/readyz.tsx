import { json } from "@remix-run/node";
import { readiness } from "../web/health.server.ts";

// Readiness: the database and the job queue answer (200), or which of them does not (503).
export const loader = async () => {
  const report = await readiness();
  return json(report, { status: report.status === "ready" ? 200 : 503, headers: { "cache-control": "no-store" } });
};
