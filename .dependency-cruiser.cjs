// The rooms' boundaries (README, "How the code is laid out"), declared once and checked on the import
// graph by `npm run lint` (`depcruise app simulator`): every static and dynamic import, `import type`
// included, unless a rule says otherwise. "reaches" rules follow the chains through other modules.
//
// From the bottom up, each room imports only rooms below it:
//   app/lib  <  app/db.server.ts  <  app/shops  <  app/ingest  <  app/lifecycle  <  app/shopify.server.ts
//   <  app/access-token.server.ts, app/insights  <  app/components, app/web  <  app/routes, app/entry.server.tsx

/** Remix and Shopify's Remix library, as the graph names their modules. */
const REMIX = "^node_modules/(@remix-run|@shopify/shopify-app-remix)/";
/** pg-boss and the engine's modules that run syncs, write rows or hold the queue. */
const ENGINE_RUNTIME =
  "^(node_modules/pg-boss/|app/ingest/(jobs|background|sync|sync-pass|upsert|read-model|deletions|webhooks|decoder)\\.server\\.ts$)";
/** The rooms below the request edge, which know nothing of Remix. */
const PLAIN_ROOMS = "^app/(lib|shops|ingest|lifecycle|insights)/";

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-folder-pair",
      comment: "No two folders of app/ import each other: every room sits above or below each other room.",
      severity: "error",
      scope: "folder",
      from: { path: "^app/" },
      to: { circular: true },
    },
    {
      name: "no-circle-in-app",
      comment: "No module of app/ reaches itself through its imports.",
      severity: "error",
      from: { path: "^app/" },
      to: { circular: true },
    },
    {
      name: "no-circle-in-simulator",
      comment: "No module of simulator/ reaches itself through its imports.",
      severity: "error",
      from: { path: "^simulator/" },
      to: { circular: true },
    },
    {
      name: "simulator-not-in-app",
      comment:
        "The simulator is never imported by app/, not even through another module: the app only speaks HTTP to it.",
      severity: "error",
      from: { path: "^app/" },
      to: { path: "^simulator/", reachable: true },
    },
    {
      name: "lib-is-leaves",
      comment: "app/lib is the ground floor: small helpers that import nothing else of the app.",
      severity: "error",
      from: { path: "^app/lib/" },
      to: { path: "^app/", pathNot: "^app/lib/" },
    },
    {
      name: "shops-below-engine",
      comment:
        "app/shops (the tenant's row: resolve, purge) imports nothing of the app but app/lib and the database module.",
      severity: "error",
      from: { path: "^app/shops/" },
      to: { path: "^app/", pathNot: "^app/(lib/|shops/|db\\.server\\.ts$)" },
    },
    {
      name: "rooms-free-of-remix",
      comment:
        "app/lib, app/shops, app/ingest, app/lifecycle and app/insights are driven by jobs, webhooks and the CLI alike: they reach nothing of Remix.",
      severity: "error",
      from: { path: PLAIN_ROOMS },
      to: { path: REMIX, reachable: true },
    },
    {
      name: "rooms-below-shopify-server",
      comment:
        "Only the request edge (app/web, app/routes, app/entry.server.tsx) and app/access-token.server.ts use app/shopify.server.ts; no room reaches it, even through another module (the engine is handed its token source where a process starts it).",
      severity: "error",
      from: { path: "^app/(lib|shops|ingest|lifecycle|insights|components)/" },
      to: { path: "^app/shopify\\.server\\.ts$", reachable: true },
    },
    {
      name: "shopify-server-without-engine",
      comment:
        "Loading app/shopify.server.ts (every page does) loads no engine: neither pg-boss nor the sync, its passes, writers, jobs or queue.",
      severity: "error",
      from: { path: "^app/shopify\\.server\\.ts$" },
      to: { path: ENGINE_RUNTIME, reachable: true },
    },
    {
      name: "lifecycle-without-queue-runtime",
      comment:
        "app/lifecycle queues its jobs through the queue the process provides (app/lifecycle/queue.server.ts): it reaches neither pg-boss nor the engine's runtime.",
      severity: "error",
      from: { path: "^app/lifecycle/" },
      to: { path: ENGINE_RUNTIME, reachable: true },
    },
    {
      name: "insights-read-only",
      comment:
        "app/insights reads: of app/ingest it uses the resource declarations and the progress types, never the engine's writers, jobs or runs (its .server modules).",
      severity: "error",
      from: { path: "^app/insights/" },
      to: { path: "^app/ingest/.*\\.server\\.ts$" },
    },
    {
      name: "components-without-server-modules",
      comment: "app/components render what the insights return: they import no .server module (no data, no database).",
      severity: "error",
      from: { path: "^app/components/" },
      to: { path: "\\.server\\.tsx?$" },
    },
    {
      name: "web-edge-on-top",
      comment: "app/web is the request edge: only routes and app/entry.server.tsx import it.",
      severity: "error",
      from: { path: "^app/", pathNot: "^app/(routes/|web/|entry\\.server\\.tsx$)" },
      to: { path: "^app/web/" },
    },
    {
      name: "routes-through-the-edge",
      comment:
        "Pages and webhooks authenticate through app/web (authenticateAdmin, receiveWebhook): only the auth routes (auth.$, auth.login) use app/shopify.server.ts themselves.",
      severity: "error",
      from: { path: "^app/routes/", pathNot: "^app/routes/auth[.]" },
      to: { path: "^app/shopify\\.server\\.ts$" },
    },
    {
      name: "routes-not-database",
      comment:
        "Routes call a room (app/insights, app/lifecycle, app/ingest); they never import the database module, pg or Prisma themselves.",
      severity: "error",
      from: { path: "^app/routes/" },
      to: { path: "^(app/db\\.server\\.ts$|node_modules/(pg|@prisma/client|\\.prisma)/)" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    // Type-only imports are part of the graph: a folder pair joined by a type is still a pair.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".cjs", ".mjs"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
