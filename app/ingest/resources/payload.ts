import { z } from "zod";

// What every resource's payload schema is built from, and how a mapper reports a record that does
// not fit. Payloads are checked against the fields the app uses; a record that does not fit is
// reported (and skipped by the caller), never half-written.

export const id = z.number().int().positive().transform(String);
export const optionalId = z
  .number()
  .int()
  .positive()
  .nullish()
  .transform((v) => (v == null ? null : String(v)));
export const money = z
  .union([z.string(), z.number()])
  .transform(String)
  // In the merchant's words when it is not one (a JSON number past 10^21 reads "1e+21").
  .pipe(z.string().regex(/^-?\d+(\.\d+)?$/, { error: (issue) => `${String(issue.input)} is not an amount` }));
export const optionalMoney = money.nullish().transform((v) => v ?? null);
// Shopify's timestamps: ISO-8601 with an offset, e.g. 2008-01-10T11:00:00-05:00.
export const timestamp = z.iso.datetime({ offset: true });
export const optionalTimestamp = timestamp.nullish().transform((v) => v ?? null);
export const text = z
  .string()
  .nullish()
  .transform((v) => v ?? null);
export const int = z
  .number()
  .int()
  .nullish()
  .transform((v) => v ?? null);

export type MapResult<Row> = { ok: true; row: Row } | { ok: false; id: string | null; reason: string };

function failure(input: unknown, error: z.ZodError): { ok: false; id: string | null; reason: string } {
  const raw = (input as { id?: unknown } | null)?.id;
  const issue = error.issues[0];
  return {
    ok: false,
    id: typeof raw === "number" || typeof raw === "string" ? String(raw) : null,
    reason: issue ? `${issue.path.join(".") || "record"}: ${issue.message}` : "invalid record",
  };
}

/** A mapper: the record checked against `schema`, then turned into a row by `toRow`. Pure. */
export function mapper<Schema extends z.ZodType, Row>(
  schema: Schema,
  toRow: (record: z.output<Schema>) => Row,
): (input: unknown) => MapResult<Row> {
  return (input) => {
    const parsed = schema.safeParse(input);
    return parsed.success ? { ok: true, row: toRow(parsed.data) } : failure(input, parsed.error);
  };
}
