import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import path from "node:path";
import compression from "compression";
import express from "express";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import type { Logger } from "../../app/lib/log.server.ts";

// The production HTTP server (what `remix-serve` does, in the template's Express style): compressed
// responses, the build's static files, the Remix app, and a JSON access log whose URLs never carry
// session tokens or signatures. It closes in order: no new connections, the requests in flight
// finished (up to a deadline), keep-alive connections closed as they fall idle.

export interface AppHttpServer {
  url: string;
  port: number;
  /** Requests being answered now. */
  inFlight(): number;
  /** Stops accepting connections and waits up to `deadlineMs` for the requests in flight. */
  close(deadlineMs: number): Promise<{ forcedConnections: number }>;
}

// Probes and fingerprinted assets are logged at debug level: at info they would drown the rest.
const quiet = (pathname: string) =>
  pathname === "/healthz" || pathname === "/readyz" || pathname.startsWith("/assets/");

export async function serveApp(
  build: ServerBuild,
  options: { port: number; host?: string; clientDir: string; log: Logger },
): Promise<AppHttpServer> {
  const { log } = options;
  let active = 0;
  let closing = false;
  const app = express();
  app.disable("x-powered-by");
  app.use((req, res, next) => {
    const started = performance.now();
    active += 1;
    // During shutdown every answer closes its connection, so keep-alive clients reconnect elsewhere.
    if (closing) res.setHeader("connection", "close");
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      active -= 1;
      let url: URL;
      try {
        url = new URL(req.originalUrl, "http://app.invalid");
      } catch {
        url = new URL("http://app.invalid/?unparsable-url");
      }
      const entry = {
        method: req.method,
        path: `${url.pathname}${url.search}`,
        status: res.statusCode,
        durationMs: Math.round((performance.now() - started) * 10) / 10,
        bytes: Number(res.getHeader("content-length")) || undefined,
        shop: url.searchParams.get("shop") ?? req.get("x-shopify-shop-domain") ?? undefined,
        aborted: res.writableFinished ? undefined : true,
      };
      if (quiet(url.pathname)) log.debug("request", entry);
      else log.info("request", entry);
    };
    res.once("finish", finish);
    res.once("close", finish);
    next();
  });
  app.use(compression());
  app.use("/assets", express.static(path.join(options.clientDir, "assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(options.clientDir, { maxAge: "1h" }));
  // Browsers and tools that ask for the classic icon get the app's SVG one.
  app.get("/favicon.ico", (_req, res) => res.redirect(301, "/favicon.svg"));
  const remix = createRequestHandler({ build, mode: process.env.NODE_ENV });
  // Express 4 ignores a handler's promise: a rejection goes to Express's error handling instead.
  app.all("*", (req, res, next) => {
    remix(req, res, next).catch(next);
  });

  const server: Server = await new Promise((resolve, reject) => {
    const listening = app.listen(options.port, options.host ?? "0.0.0.0", () => resolve(listening));
    listening.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://${options.host && options.host !== "0.0.0.0" ? options.host : "localhost"}:${port}`,
    port,
    inFlight: () => active,
    close(deadlineMs) {
      closing = true;
      return new Promise((resolve) => {
        let forcedConnections = 0;
        const sweep = setInterval(() => server.closeIdleConnections(), 100);
        const deadline = setTimeout(() => {
          forcedConnections = active;
          server.closeAllConnections();
        }, deadlineMs);
        server.close(() => {
          clearInterval(sweep);
          clearTimeout(deadline);
          resolve({ forcedConnections });
        });
        server.closeIdleConnections();
      });
    },
  };
}
