import { json } from "@remix-run/node";

// Liveness: the process is up and serving HTTP. Touches nothing else, so it stays cheap and a
// database outage never gets a healthy process restarted.
export const loader = () => json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
