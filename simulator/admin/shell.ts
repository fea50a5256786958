// The offline admin shell: what Shopify admin is to an embedded app, for the demo and the browser tests.
// A page with admin's top bar and navigation that frames the app (shop, host, embedded=1 and a session
// token in the URL, as admin does), the App Bridge stand-in the app loads from here (app-bridge.js),
// session tokens minted by the simulator with the app's secret, and a small panel that changes the
// simulated store (create, refund, cancel an order) so its webhooks reach the app. Never part of the
// app's production build: the app only points at it through APP_BRIDGE_URL.
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

export interface AdminShellOptions {
  /** Port to listen on (0 = any). */
  port: number;
  host?: string;
  /** The app's URL, as configured (SHOPIFY_APP_URL). */
  appUrl: string;
  appName: string;
  /** The app's path in admin URLs: /apps/{handle}/… */
  appHandle: string;
  apiKey: string;
  /** The shop's myshopify domain. */
  shop: string;
  /** The simulator's control surface (…/_simulator/). */
  control: string;
  /** Lifetime of the session tokens minted for the app (Shopify's: one minute). */
  tokenSeconds?: number;
}

export interface AdminShell {
  url: string;
  port: number;
  /** The APP_BRIDGE_URL the app is given. */
  appBridgeUrl: string;
  close(): Promise<void>;
}

const here = import.meta.dirname;
const files: Record<string, { type: string; path: string }> = {
  "/app-bridge.js": { type: "text/javascript; charset=utf-8", path: "app-bridge.js" },
  "/admin-shell.js": { type: "text/javascript; charset=utf-8", path: "shell.js" },
  "/admin-shell.css": { type: "text/css; charset=utf-8", path: "shell.css" },
};

class ShellError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The simulator's answer, or a ShellError carrying its status and message. */
async function control(base: string, method: string, route: string, body?: unknown): Promise<unknown> {
  const response = await fetch(new URL(route, base), {
    method,
    headers: body === undefined ? {} : { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const errors = (parsed as { errors?: unknown } | null)?.errors;
    throw new ShellError(response.status, typeof errors === "string" ? errors : JSON.stringify(errors ?? parsed));
  }
  return parsed;
}

async function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) throw new ShellError(413, "The request body is too large.");
    chunks.push(chunk);
  }
  if (size === 0) return {};
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // answered below
  }
  throw new ShellError(400, "The request body must be a JSON object.");
}

interface OrderSummary {
  id: number;
  name: string;
  total: string;
  currency: string;
  financialStatus: string;
  cancelled: boolean;
}

function summarize(order: Record<string, unknown>): OrderSummary {
  return {
    id: Number(order.id),
    name: String(order.name),
    total: String(order.total_price),
    currency: String(order.currency),
    financialStatus: String(order.financial_status),
    cancelled: Boolean(order.cancelled_at),
  };
}

export async function startAdminShell(options: AdminShellOptions): Promise<AdminShell> {
  const appUrl = new URL(options.appUrl);
  const store = options.shop.replace(/\.myshopify\.com$/, "");
  const appBase = `/apps/${options.appHandle}`;
  const shopRoute = `shops/${encodeURIComponent(options.shop)}/`;
  const tokenSeconds = options.tokenSeconds ?? 60;
  // Orders made from the panel in this run, newest first: the ones it offers to refund or cancel.
  const made: OrderSummary[] = [];

  const page = () => {
    const config = {
      appUrl: appUrl.origin + appUrl.pathname.replace(/\/$/, ""),
      appName: options.appName,
      appBase,
      shop: options.shop,
      host: Buffer.from(`admin.shopify.com/store/${store}`).toString("base64url"),
    };
    // Read on each request (they are small), so an edit shows on the next reload.
    return readFileSync(path.join(here, "shell.html"), "utf8")
      .replaceAll("{{appName}}", escapeHtml(options.appName))
      .replaceAll("{{store}}", escapeHtml(store))
      .replace("{{config}}", JSON.stringify(config).replace(/</g, "\\u003c"));
  };

  const refreshOrder = async (id: number) => {
    const order = summarize(
      (await control(options.control, "GET", `${shopRoute}orders/${id}`)) as Record<string, unknown>,
    );
    const at = made.findIndex((o) => o.id === id);
    if (at >= 0) made[at] = order;
    return order;
  };

  async function api(req: http.IncomingMessage, pathname: string): Promise<unknown> {
    const method = req.method ?? "GET";
    if (pathname === "/api/session-token" && method === "POST") {
      const { token } = (await control(options.control, "POST", `${shopRoute}apps/${options.apiKey}/session-token`, {
        expiresInSec: tokenSeconds,
      })) as { token: string };
      return { token };
    }
    if (pathname === "/api/orders" && method === "GET") return { orders: made };
    if (pathname === "/api/orders" && method === "POST") {
      const input = await readJson(req);
      const order = summarize(
        (await control(options.control, "POST", `${shopRoute}orders`, input)) as Record<string, unknown>,
      );
      made.unshift(order);
      if (made.length > 10) made.pop();
      return { order };
    }
    const action = pathname.match(/^\/api\/orders\/(\d{1,18})\/(refund|cancel)$/);
    if (action && method === "POST") {
      const input = await readJson(req);
      const id = Number(action[1]);
      await control(options.control, "POST", `${shopRoute}orders/${id}/${action[2]}`, input);
      return { order: await refreshOrder(id) };
    }
    throw new ShellError(404, "Not found");
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://shell.invalid");
    const send = (status: number, type: string, body: string | Buffer, extra: Record<string, string> = {}) => {
      res.writeHead(status, { "content-type": type, "cache-control": "no-store", ...extra });
      res.end(body);
    };
    if (url.pathname.startsWith("/api/")) {
      // The panel's and the stand-in's calls: only from the shell's own pages.
      const site = req.headers["sec-fetch-site"];
      if (site && site !== "same-origin") return send(403, "application/json", JSON.stringify({ error: "Forbidden" }));
      api(req, url.pathname).then(
        (value) => send(200, "application/json", JSON.stringify(value)),
        (error: unknown) => {
          const status = error instanceof ShellError ? error.status : 502;
          const message = error instanceof Error ? error.message : String(error);
          send(status, "application/json", JSON.stringify({ error: message }));
        },
      );
      return;
    }
    const asset = files[url.pathname];
    if (asset && req.method === "GET") return send(200, asset.type, readFileSync(path.join(here, asset.path)));
    if (
      req.method === "GET" &&
      (url.pathname === "/" || url.pathname === appBase || url.pathname.startsWith(`${appBase}/`))
    ) {
      return send(200, "text/html; charset=utf-8", page());
    }
    send(404, "text/plain; charset=utf-8", "Not found");
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  return {
    url,
    port,
    appBridgeUrl: `${url}/app-bridge.js`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
