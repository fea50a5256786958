import { InvalidShopError } from "@shopify/shopify-api";
import type { z } from "zod";
import { authenticate } from "../shopify.server.ts";
import { normaliseTopic } from "../ingest/webhooks.server.ts";
import { env } from "../lib/env.server.ts";
import { log } from "../lib/log.server.ts";
import { isShopDomain, WEBHOOK_BODY_LIMIT } from "../lib/webhook-body.ts";

// The one edge every webhook route goes through, in this order:
// 1. the size: a declared Content-Length over the cap is refused before a byte is read, and a body
//    streamed without one is cut off (and refused) once it passes the cap, never buffered whole;
// 2. the HMAC, by Shopify's library (authenticate.webhook) on the capped body: a forged one is 401
//    (https://shopify.dev/docs/apps/build/webhooks/subscribe/https; the compliance topics must answer
//    401: https://shopify.dev/docs/apps/build/compliance/privacy-law-compliance);
// 3. the shop: X-Shopify-Shop-Domain must be a shop's domain ({name}.myshopify.com, or
//    SHOP_CUSTOM_DOMAIN's), and a payload's shop_domain must be the same shop;
// 4. JSON, then the topic's payload (app and compliance topics; record topics are checked by their
//    resource's mapper, app/ingest/resources/).
// Whatever a client can send wrong gets a 4xx with a short plain-text reason, and nothing is written.
// Shopify retries any answer but a 2xx, up to 8 times over 4 hours, with the same body
// (https://shopify.dev/changelog/updates-to-webhook-retry-mechanism): each retry of a refused body
// gets the same 4xx. A 500 is kept for the app's own faults (its database down), which a retry can
// outlive.

/** A short answer to a webhook request the app will not process. */
export const refuse = (status: number, reason: string) =>
  new Response(reason, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

/** A webhook that passed the edge: its topic in REST form (orders/create) and its parsed payload. */
export interface WebhookDelivery<Topic extends string = string, Payload = unknown> {
  shop: string;
  topic: Topic;
  webhookId: string;
  /** X-Shopify-Triggered-At, as sent (app/ingest/webhooks.server.ts decides whether it is a time). */
  triggeredAt: string | null;
  payload: Payload;
}

/** The payload schema of each topic a route takes. */
export type TopicSchemas = Record<string, z.ZodType>;

/** One delivery per topic of `S`, its payload as the schema outputs it. */
export type CheckedDelivery<S extends TopicSchemas> = {
  [T in keyof S & string]: WebhookDelivery<T, z.output<S[T]>>;
}[keyof S & string];

class BodyTooLarge extends Error {}

const tooLarge = () => refuse(413, `Webhook bodies are limited to ${WEBHOOK_BODY_LIMIT} bytes.`);

/** Reads the rest of a body and drops it, a chunk at a time. */
async function discard(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
  try {
    while (!(await reader.read()).done);
  } catch {
    // The client went away: nothing left to drop.
  }
}

/**
 * The request with its body cut off (an error) at `limit` bytes. What follows the cap is read and
 * dropped, as Node drops a body no one reads: cancelling the request instead would close its
 * connection before the 413 is sent.
 */
function capped(request: Request, limit: number): Request {
  if (!request.body) return request;
  const reader = request.body.getReader();
  let seen = 0;
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      seen += value.byteLength;
      if (seen <= limit) return controller.enqueue(value);
      controller.error(new BodyTooLarge());
      void discard(reader);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body,
    duplex: "half",
  } as RequestInit);
}

/** The library's own refusals (405, 401, 400 for missing headers), with a reason in the body. */
function explained(response: Response): Response {
  switch (response.status) {
    case 401:
      return refuse(401, "The webhook's HMAC signature does not match its body.");
    case 400:
      return refuse(400, "A webhook header Shopify always sends is missing.");
    case 405:
      return refuse(405, "Webhooks are POST requests.");
    default:
      return response;
  }
}

/** authenticate.webhook on the capped body; anything refused is thrown as a Response. */
async function verified(request: Request) {
  const declared = request.headers.get("content-length");
  if (declared !== null && !(Number(declared) <= WEBHOOK_BODY_LIMIT)) throw tooLarge();
  try {
    return await authenticate.webhook(capped(request, WEBHOOK_BODY_LIMIT));
  } catch (error) {
    if (error instanceof Response) throw explained(error);
    if (error instanceof BodyTooLarge || (error instanceof TypeError && error.cause instanceof BodyTooLarge)) {
      throw tooLarge();
    }
    // Thrown by the library after the HMAC passed, when it looks up the shop's offline session.
    if (error instanceof InvalidShopError) throw refuse(400, "X-Shopify-Shop-Domain is not a Shopify shop domain.");
    if (error instanceof SyntaxError) throw refuse(400, "The webhook body is not JSON.");
    throw error;
  }
}

/** The fields a payload lacks or has of the wrong type, named by path (never their values). */
const problems = (error: z.ZodError) =>
  [...new Set(error.issues.map((issue) => issue.path.join(".") || "(the body)"))].slice(0, 5).join(", ");

/**
 * Reads, verifies and checks a webhook. Without `schemas` (record topics) any topic passes with its
 * payload unread; with them, the topic must be one of theirs and the payload must parse.
 */
export async function receiveWebhook(request: Request): Promise<WebhookDelivery>;
export async function receiveWebhook<S extends TopicSchemas>(request: Request, schemas: S): Promise<CheckedDelivery<S>>;
export async function receiveWebhook(request: Request, schemas?: TopicSchemas): Promise<WebhookDelivery> {
  const context = await verified(request);
  const { shop, webhookId } = context;
  const topic = normaliseTopic(context.topic);
  const fields = { shop, topic, webhookId };
  if (!isShopDomain(shop, env().SHOP_CUSTOM_DOMAIN)) {
    log.warn("webhook refused: not a shop domain", fields);
    throw refuse(400, "X-Shopify-Shop-Domain is not a Shopify shop domain.");
  }
  let payload: unknown = context.payload;
  const named = (payload as { shop_domain?: unknown } | null)?.shop_domain;
  if (typeof named === "string" && named !== shop) {
    log.warn("webhook refused: the payload names another shop", fields);
    throw refuse(422, "The payload's shop_domain is not the shop in X-Shopify-Shop-Domain.");
  }
  if (schemas) {
    const schema = Object.hasOwn(schemas, topic) ? schemas[topic] : undefined;
    if (!schema) {
      log.warn("webhook refused: topic not taken here", fields);
      throw refuse(400, `This address does not take ${topic} webhooks.`);
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const missing = problems(parsed.error);
      log.warn("webhook refused: payload without Shopify's fields", { ...fields, fields: missing });
      throw refuse(422, `The ${topic} payload lacks Shopify's fields or types: ${missing}.`);
    }
    payload = parsed.data;
  }
  return { shop, topic, webhookId, triggeredAt: context.triggeredAt ?? null, payload };
}
