/* eslint-disable @typescript-eslint/no-explicit-any -- JSON payloads */
// Helpers for the simulator's own tests: real HTTP(S) calls through the simulator's dispatcher.
import { request } from "undici";
import "@shopify/shopify-api/adapters/node";
import { ApiVersion, shopifyApi } from "@shopify/shopify-api";
import type { Simulator } from "../../simulator/index.ts";

export const API = "2026-01";

export interface Resp {
  status: number;
  headers: Record<string, string>;
  text: string;
  json: any;
}

export async function call(
  sim: Simulator,
  url: string,
  opts: { token?: string; method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Resp> {
  const headers: Record<string, string> = { ...(opts.headers ?? {}) };
  if (opts.token) headers["x-shopify-access-token"] = opts.token;
  let body: string | undefined;
  if (opts.body !== undefined) {
    body = typeof opts.body === "string" ? opts.body : JSON.stringify(opts.body);
    headers["content-type"] ??= "application/json";
  }
  const res = await request(url, {
    method: (opts.method ?? "GET") as "GET",
    headers,
    body,
    dispatcher: sim.dispatcher(),
  });
  const text = await res.body.text();
  const h: Record<string, string> = {};
  for (const [k, v] of Object.entries(res.headers)) h[k] = Array.isArray(v) ? v.join(", ") : String(v);
  let json: unknown = undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.statusCode, headers: h, text, json };
}

export function admin(sim: Simulator, shop: string, path: string, token: string): Promise<Resp> {
  return call(sim, `https://${shop}.myshopify.com/admin/api/${API}/${path}`, { token });
}

export function links(header: string | undefined): { next?: string; previous?: string } {
  const out: { next?: string; previous?: string } = {};
  if (!header) return out;
  for (const part of header.split(", ")) {
    const m = /^<([^<>]+)>; rel="(next|previous)"$/.exec(part);
    if (!m) throw new Error(`bad link part: ${part}`);
    out[m[2] as "next" | "previous"] = m[1];
  }
  return out;
}

export async function control(sim: Simulator, method: string, path: string, body?: unknown): Promise<Resp> {
  return call(sim, `${sim.url}/_simulator/${path}`, { method, body });
}

/** Fetches every page of a list endpoint; returns all records. */
export async function fetchAll(
  sim: Simulator,
  shop: string,
  resource: string,
  query: string,
  token: string,
): Promise<any[]> {
  const out: any[] = [];
  let url: string | undefined = `https://${shop}.myshopify.com/admin/api/${API}/${resource}.json?${query}`;
  while (url) {
    const r = await call(sim, url, { token });
    if (r.status !== 200) throw new Error(`${r.status} ${r.text}`);
    out.push(...r.json[resource]);
    url = links(r.headers.link).next;
  }
  return out;
}

/** Shopify's own library, configured as an embedded app with these credentials (Node adapter loaded). */
export function shopifyLibrary(apiKey: string, apiSecretKey: string, scopes: string[] = ["read_orders"]) {
  return shopifyApi({
    apiKey,
    apiSecretKey,
    scopes,
    hostName: "app.example.test",
    apiVersion: ApiVersion.January26,
    isEmbeddedApp: true,
    logger: { level: 0 },
  });
}
