// What every request handler shares: the request context and body parsing.
import type http from "node:http";
import { SimError } from "../store.ts";
import type { FaultInfo, JsonObject } from "../types.ts";
import type { Store } from "../store.ts";

export const JSON_TYPE = "application/json; charset=utf-8";

/** One request to a shop host. */
export interface RequestContext {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  secure: boolean;
  requestId: string;
  store: Store | null;
  fault: FaultInfo | null;
}

export function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

/** A JSON or form-encoded body; an empty one is `{}`. */
export function parseBody(raw: string, contentType: string | undefined): JsonObject {
  if (!raw.trim()) return {};
  if (contentType && contentType.includes("application/x-www-form-urlencoded")) {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  try {
    const v = JSON.parse(raw);
    return v && typeof v === "object" ? (v as JsonObject) : {};
  } catch {
    if (raw.includes("=")) return Object.fromEntries(new URLSearchParams(raw));
    throw new SimError(400, { errors: "Invalid JSON body" });
  }
}
