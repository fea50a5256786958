import type { ChildTable, TableSpec } from "./tables.ts";
import { customers } from "./customers.ts";
import { orders } from "./orders.ts";
import { products } from "./products.ts";
import type { ResourceDefinition } from "./resource.ts";
import type { ResourceName } from "./names.ts";

// Every resource the app reads, and what is derived from their declarations: the names, the fields
// asked for, the record webhook topics (subscribed in shopify.app.toml, scripts/lib/webhook-subscriptions.ts,
// handled by webhooks.server.ts) and the personal-data columns compliance erases. A new resource is a
// module beside this one, listed here, plus a migration for its tables.

export const resources = [products, customers, orders] as const;

export type { ResourceName } from "./names.ts";

// The declared names are exactly ResourceName: a resource added here without its name there (or the
// reverse) is a compile error.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _namesDeclared: Same<(typeof resources)[number]["name"], ResourceName> = true;

export type { ResourceDefinition } from "./resource.ts";

const byName = new Map<string, ResourceDefinition>(resources.map((resource) => [resource.name, resource]));

export function resourceNamed(name: ResourceName): ResourceDefinition {
  const found = byName.get(name);
  if (!found) throw new Error(`Unknown resource ${name}`);
  return found;
}

function byResource<T>(value: (resource: ResourceDefinition) => T): Record<ResourceName, T> {
  return Object.fromEntries(resources.map((resource) => [resource.name, value(resource)])) as Record<ResourceName, T>;
}

/** The top-level fields each mapper reads: the sync asks Shopify for these only (`fields=`). */
export const fieldsRead = byResource((resource) => resource.fields);

/** Each resource's table and the child tables replaced together with it. */
export const resourceTables: Record<ResourceName, { parent: TableSpec; children: readonly ChildTable[] }> = byResource(
  (resource) => ({ parent: resource.table, children: resource.children }),
);

/** Row keys (Prisma field names alike) of each resource's personal data. */
export const personalData = byResource((resource) => resource.personalData);

export type RecordAction = "upsert" | "delete";

/** Each record webhook topic: the resource it carries and what it does to it. */
export const recordTopics: ReadonlyMap<string, { resource: ResourceName; action: RecordAction }> = new Map(
  resources.flatMap((resource) =>
    (["upsert", "delete"] as const).flatMap((action) =>
      resource.webhookTopics[action].map((topic) => [topic, { resource: resource.name, action }] as const),
    ),
  ),
);

export const recordWebhookTopics: readonly string[] = [...recordTopics.keys()];
