import type { z } from "zod";
import type { ChildTable, ChildTableOf, TableSpec, TableSpecOf } from "./tables.ts";
import type { MapResult } from "./payload.ts";
import type { ResourceName } from "./names.ts";
import { storableCheck } from "./storable.ts";

// What a resource's module declares, and the form the engine (sync, webhooks, encoding, compliance)
// reads. Everything a resource is to the app is in its declaration; index.ts derives the rest.

export interface ResourceDeclaration<Name extends string, Row extends object> {
  name: Name;
  /** REST list endpoint and the key holding the records in its body. */
  path: string;
  bodyKey: string;
  /** The payload as the mapper reads it: its top-level keys are the only fields asked for (`fields=`). */
  payload: z.ZodObject;
  /** Parameters always sent besides `fields` (orders: every status, as Shopify lists only `open` ones). */
  query?: Record<string, string>;
  /** The record as rows; defineResource adds the check that they can be stored (storable.ts). */
  map(record: unknown): MapResult<Row>;
  /** Warnings about a mapped row (e.g. data the REST endpoint cannot return in full). */
  inspect?(row: Row): string | undefined;
  /** Subject type in events.json, when Shopify records deletions of this resource there. */
  eventSubject?: string;
  /** Webhook topics carrying a record to write, and those carrying the id of one deleted. */
  webhookTopics: { upsert: readonly string[]; delete: readonly string[] };
  /** A 403 here is Shopify refusing protected customer data, not a failure of the run. */
  protectedCustomerData?: boolean;
  /** The table each record's row goes to, and the tables of the lists it carries. */
  table: TableSpecOf<Row>;
  children: readonly ChildTableOf<Row>[];
  /** Row keys of personal data: erased by customers/redact and kept erased by later writes. */
  personalData?: readonly (keyof Row & string)[];
}

/** A declared resource, as the engine reads it: rows are plain objects there. */
export interface ResourceDefinition<Name extends string = ResourceName> {
  name: Name;
  path: string;
  bodyKey: string;
  /** The fields asked for, and every parameter a list request sends. */
  fields: readonly string[];
  baseQuery: Record<string, string>;
  map(record: unknown): MapResult<object>;
  // A method, so a declaration's inspect of its own row type fits.
  inspect?(row: object): string | undefined;
  eventSubject?: string;
  webhookTopics: { upsert: readonly string[]; delete: readonly string[] };
  protectedCustomerData: boolean;
  table: TableSpec;
  children: readonly ChildTable[];
  personalData: readonly string[];
}

export function defineResource<Name extends string, Row extends object>(
  declaration: ResourceDeclaration<Name, Row>,
): ResourceDefinition<Name> {
  const fields = Object.keys(declaration.payload.shape);
  // Every path in (sync pages, webhooks, any later source) maps through here: the one place where a
  // record becomes rows, so the one place they are made storable or the record fails alone.
  const check = storableCheck(declaration.table as TableSpec, declaration.children as readonly ChildTable[]);
  const map = (record: unknown): MapResult<Row> => {
    const mapped = declaration.map(record);
    if (!mapped.ok) return mapped;
    const problem = check(mapped.row as Record<string, unknown>);
    if (problem === null) return mapped;
    const id = (mapped.row as { id?: unknown }).id;
    return { ok: false, id: id === undefined || id === null ? null : String(id), reason: problem };
  };
  return {
    ...declaration,
    map,
    fields,
    baseQuery: { ...declaration.query, fields: fields.join(",") },
    protectedCustomerData: declaration.protectedCustomerData ?? false,
    personalData: declaration.personalData ?? [],
  };
}
