// The shop's event log (events.json): one entry per change of an order, product or customer.
import type { JsonObject } from "../types.ts";

export interface EventRecord {
  id: number;
  subject_id: number;
  created_at: number;
  subject_type: "Order" | "Product" | "Customer";
  verb: string;
  arguments: unknown[];
  body: null;
  message: string;
  author: string;
  description: string;
  path: string;
}

export type ChangeListener = (topic: string, payload: () => JsonObject, subject: { type: string; id: number }) => void;

const ADMIN_PATHS: Record<EventRecord["subject_type"], string> = {
  Order: "/admin/orders/",
  Product: "/admin/products/",
  Customer: "/admin/customers/",
};

export function eventRecord(
  id: number,
  createdAt: number,
  type: EventRecord["subject_type"],
  subjectId: number,
  verb: string,
  message: string,
  args: unknown[] = [],
): EventRecord {
  return {
    id,
    subject_id: subjectId,
    created_at: createdAt,
    subject_type: type,
    verb,
    arguments: args,
    body: null,
    message,
    author: "Shopify",
    description: message,
    path: `${ADMIN_PATHS[type]}${subjectId}`,
  };
}
