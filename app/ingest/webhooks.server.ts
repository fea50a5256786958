import type { PrismaClient } from "@prisma/client";
import type pg from "pg";
import { recordTopics, resourceNamed } from "./resources/index.ts";
import { deleteRecords, inTransaction, writeRows } from "./upsert.server.ts";
import { resolveShop } from "../shops/resolve.server.ts";
import { log } from "../lib/log.server.ts";

// Webhooks feed the same mappers and upsert path as the sync. Each delivery is handled once: its
// X-Shopify-Webhook-Id is recorded in the same transaction as its effect, so a redelivery after a
// success is acknowledged and skipped, and one after a failure is processed again. The app and
// compliance webhooks record theirs the same way (claimDelivery, app/lifecycle/installation.server.ts).

export interface WebhookDeliveryInput {
  shop: string;
  topic: string;
  webhookId: string;
  /** X-Shopify-Triggered-At: when Shopify raised the event (finer than updated_at's second). */
  triggeredAt?: string | null;
  payload: unknown;
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:?\d{2})$/;

/** The header when it is a timestamp PostgreSQL reads as Shopify meant it; otherwise unknown. */
function triggerTime(value: string | null | undefined): string | null {
  return value && ISO_TIME.test(value) && !Number.isNaN(Date.parse(value)) ? value : null;
}

/**
 * - "skipped-invalid": the record lacks the fields and types Shopify sends (the mapper refused it);
 * - "unstorable": it maps, but PostgreSQL refuses one of its values (a data exception, SQLSTATE
 *   class 22, such as an amount past NUMERIC(19,4)); nothing is written.
 */
export type WebhookOutcome = "processed" | "duplicate" | "ignored" | "unknown-shop" | "skipped-invalid" | "unstorable";

/** A PostgreSQL data exception (SQLSTATE class 22): the value, not the database, is at fault. */
export function isDataException(error: unknown): error is Error & { code: string } {
  const code = (error as { code?: unknown } | null)?.code;
  return error instanceof Error && typeof code === "string" && /^22[0-9A-Z]{3}$/.test(code);
}

/** Shopify's topic header (ORDERS_CREATE or orders/create) in its REST form. */
export function normaliseTopic(topic: string): string {
  return topic.includes("/") ? topic.toLowerCase() : topic.toLowerCase().replace("_", "/");
}

export async function handleRecordWebhook(
  db: PrismaClient,
  pool: pg.Pool,
  input: WebhookDeliveryInput,
): Promise<WebhookOutcome> {
  const topic = normaliseTopic(input.topic);
  const outcome = await handle(db, pool, input, topic);
  const fields = { shop: input.shop, topic, webhookId: input.webhookId, outcome };
  if (outcome === "skipped-invalid" || outcome === "unknown-shop" || outcome === "unstorable") {
    log.warn("webhook refused", fields);
  } else log.info("webhook handled", fields);
  return outcome;
}

async function handle(
  db: PrismaClient,
  pool: pg.Pool,
  input: WebhookDeliveryInput,
  topic: string,
): Promise<WebhookOutcome> {
  const route = recordTopics.get(topic);
  if (!route) return "ignored";
  // An uninstalled shop's deliveries are acknowledged and ignored; only one never installed is refused.
  const shop = await resolveShop(db, input.shop, { includeUninstalled: true });
  if (!shop) return "unknown-shop";
  if (shop.uninstalledAt) return "ignored";
  const resource = resourceNamed(route.resource);

  // A payload that cannot be processed is refused before anything is written, every time it comes.
  let deleted: string | null = null;
  let row: object | null = null;
  if (route.action === "delete") {
    const id = (input.payload as { id?: unknown } | null)?.id;
    if ((typeof id !== "number" && typeof id !== "string") || !/^\d{1,19}$/.test(String(id))) {
      return "skipped-invalid";
    }
    deleted = String(id);
  } else {
    const mapped = resource.map(input.payload);
    if (!mapped.ok) {
      log.warn("webhook record does not map", {
        shop: input.shop,
        topic,
        webhookId: input.webhookId,
        recordId: mapped.id ?? null,
        reason: mapped.reason,
      });
      return "skipped-invalid";
    }
    row = mapped.row as object;
  }

  try {
    return await inTransaction(pool, async (tx): Promise<WebhookOutcome> => {
      const first = await tx.query(
        "INSERT INTO webhook_delivery (webhook_id, shop, topic) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        [input.webhookId, input.shop, topic],
      );
      if (first.rowCount === 0) return "duplicate";
      if (deleted !== null) await deleteRecords(tx, shop.id, route.resource, [deleted]);
      else await writeRows(tx, shop.id, route.resource, [row!], triggerTime(input.triggeredAt));
      return "processed";
    });
  } catch (error) {
    // The payload's own value, refused the same way on every retry: rolled back with its delivery.
    if (!isDataException(error)) throw error;
    log.warn("webhook record not storable", {
      shop: input.shop,
      topic,
      webhookId: input.webhookId,
      // The code only: PostgreSQL's message may quote the value, which may be personal data.
      sqlState: error.code,
    });
    return "unstorable";
  }
}
