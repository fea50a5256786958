import { resourceNamed, type ResourceName } from "./resources/index.ts";
import { parseJson } from "./rest-client.ts";
import { encodeBatch, type Batch } from "./resources/tables.ts";

// A page of a REST list endpoint, from its bytes to a batch ready to write: parsed (MalformedBodyError
// when it is not JSON), each record mapped (a malformed record is skipped and reported, never
// half-written) and encoded. Pure, so it runs the same on a decoding thread (decoder.server.ts) or
// inline.

export interface DecodedPage {
  /** Records the page held. */
  fetched: number;
  batch: Batch;
  skipped: { id: string | null; reason: string }[];
  warnings: string[];
}

export function decodePage(resourceName: ResourceName, bytes: Uint8Array): DecodedPage {
  const resource = resourceNamed(resourceName);
  const body = parseJson<Record<string, unknown> | null>(bytes);
  const listed = body?.[resource.bodyKey];
  const records = Array.isArray(listed) ? (listed as unknown[]) : [];
  const rows: unknown[] = [];
  const skipped: DecodedPage["skipped"] = [];
  const warnings: string[] = [];
  for (const record of records) {
    const mapped = resource.map(record);
    if (mapped.ok) {
      rows.push(mapped.row);
      const warning = resource.inspect?.(mapped.row);
      if (warning && !warnings.includes(warning)) warnings.push(warning);
    } else {
      skipped.push({ id: mapped.id, reason: mapped.reason });
    }
  }
  return { fetched: records.length, batch: encodeBatch(resource, rows as object[]), skipped, warnings };
}
