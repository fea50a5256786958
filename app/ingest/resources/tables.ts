import type { ResourceName } from "./names.ts";

// How rows are described as tables, and how a batch of rows travels to PostgreSQL: one array literal
// per column, unnested on the server. Pure (no database), so a page can be encoded off the main
// thread. Each resource's own tables are declared in its module under resources/.
//
// Column arrays are about half the size of the same rows as keyed JSON objects, and PostgreSQL reads
// them without building a key table per record as json_to_recordset does.

export type ColumnType = "bigint" | "int" | "numeric" | "text" | "boolean" | "timestamptz";

/** The column types a row field of type V may be written to (ids, money and times are strings). */
type ColumnTypeFor<V> = unknown extends V
  ? ColumnType
  : [NonNullable<V>] extends [string]
    ? "bigint" | "numeric" | "text" | "timestamptz"
    : [NonNullable<V>] extends [number]
      ? "int"
      : [NonNullable<V>] extends [boolean]
        ? "boolean"
        : never;

/**
 * A column written from rows: [SQL column, row key, PostgreSQL type]. The key is a key of the row and
 * the type one its value fits, so a renamed or retyped row field is a compile error, not a column of
 * NULLs.
 */
export type Column<Row> = {
  [Key in keyof Row & string]: readonly [column: string, key: Key, type: ColumnTypeFor<Row[Key]>];
}[keyof Row & string];

/** A table written from rows, `id` first, as the encoder and upsert read it. */
export interface TableSpec {
  table: string;
  columns: readonly (readonly [column: string, key: string, type: ColumnType])[];
  /** SET expressions replacing `column = EXCLUDED.column` for some columns. */
  onUpdate?: Readonly<Record<string, string>>;
}

/** A table written from rows of type Row, as a resource declares it. */
export interface TableSpecOf<Row> {
  table: string;
  columns: readonly Column<Row>[];
  onUpdate?: Readonly<Record<string, string>>;
}

/** A table whose rows travel inside their parent row (an order's line items), replaced with it. */
export interface ChildTable {
  spec: TableSpec;
  /** The parent row's key holding these rows, and the column naming their parent. */
  key: string;
  parentColumn: string;
}

type ListKeys<Row> = { [Key in keyof Row & string]: Row[Key] extends readonly object[] ? Key : never }[keyof Row &
  string];

/** A child table of rows of type Row: `key` is a list of Row, and `spec` describes its elements. */
export type ChildTableOf<Row> = {
  [Key in ListKeys<Row>]: {
    spec: TableSpecOf<Row[Key] extends readonly (infer Child)[] ? Child : never>;
    key: Key;
    parentColumn: string;
  };
}[ListKeys<Row>];

/** The SQL names of the columns written from `keys`. */
export function columnsOf<Row>(columns: readonly Column<Row>[], keys: readonly (keyof Row)[]): string[] {
  return columns.filter(([, key]) => keys.includes(key)).map(([column]) => column);
}

/** Rows of one table, encoded: `count` rows, one PostgreSQL array literal per column of its spec. */
export interface RowSet {
  count: number;
  columns: string[];
}

/** The tables a resource's rows are written to (a ResourceDefinition is one). */
export interface TableSet {
  name: ResourceName;
  table: TableSpec;
  children: readonly ChildTable[];
}

/** A batch of one resource: its records and, in the order of the resource's child tables, their children. */
export interface Batch {
  resource: ResourceName;
  parents: RowSet;
  children: RowSet[];
}

const NEEDS_ESCAPE = /["\\]/;
const ESCAPED = /["\\]/g;

/** One element of a PostgreSQL array literal: NULL, or the value double-quoted. */
function element(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  const text = String(value);
  return NEEDS_ESCAPE.test(text) ? `"${text.replace(ESCAPED, "\\$&")}"` : `"${text}"`;
}

/** Encodes rows as one array literal per column of `spec`. */
export function encodeRows(spec: TableSpec, rows: readonly object[]): RowSet {
  const columns = spec.columns.map(([, key]) => {
    let literal = "{";
    for (let i = 0; i < rows.length; i++) {
      if (i > 0) literal += ",";
      literal += element((rows[i] as Record<string, unknown>)[key]);
    }
    return literal + "}";
  });
  return { count: rows.length, columns };
}

/** Encodes a resource's rows with their children. */
export function encodeBatch(resource: TableSet, rows: readonly object[]): Batch {
  const { table, children } = resource;
  return {
    resource: resource.name,
    parents: encodeRows(table, rows),
    children: children.map((child) =>
      encodeRows(
        child.spec,
        rows.flatMap((row) => (row as Record<string, object[]>)[child.key]),
      ),
    ),
  };
}

/** The elements of an array literal made by encodeRows, each as encoded (NULL, or double-quoted). */
function elementsOf(literal: string): string[] {
  const out: string[] = [];
  let at = 1;
  const end = literal.length - 1; // the closing "}"
  while (at < end) {
    if (literal.charCodeAt(at) === 78) {
      // NULL
      out.push("NULL");
      at += 4;
    } else {
      let close = at + 1;
      for (;;) {
        const c = literal.charCodeAt(close);
        if (c === 92)
          close += 2; // a backslash escapes the next character
        else if (c === 34) break;
        else close++;
      }
      out.push(literal.slice(at, close + 1));
      at = close + 1;
    }
    at++; // the comma, or the closing brace
  }
  return out;
}

/** One record of an encoded batch, with its children: a batch of its own. */
export interface RecordBatch {
  /** The record's Shopify id. */
  id: string;
  batch: Batch;
}

/**
 * An encoded batch cut into one batch per record, each with its own child rows (found by the child
 * table's parent column), for writing record by record when the batch as a whole was refused. Works
 * on the encoded columns, so the normal path keeps nothing more than the batch.
 */
export function splitBatch(resource: TableSet, batch: Batch): RecordBatch[] {
  const parentColumns = batch.parents.columns.map(elementsOf);
  const children = resource.children.map((child, i) => {
    const columns = batch.children[i].columns.map(elementsOf);
    const parentAt = child.spec.columns.findIndex(([column]) => column === child.parentColumn);
    // Each parent's rows, by the parent id as encoded.
    const rowsOf = new Map<string, number[]>();
    (columns[parentAt] ?? []).forEach((parent, row) => {
      const rows = rowsOf.get(parent);
      if (rows) rows.push(row);
      else rowsOf.set(parent, [row]);
    });
    return { columns, rowsOf, width: child.spec.columns.length };
  });
  const records: RecordBatch[] = [];
  for (let row = 0; row < batch.parents.count; row++) {
    const encodedId = parentColumns[0][row];
    records.push({
      id: encodedId.replaceAll('"', ""),
      batch: {
        resource: batch.resource,
        parents: { count: 1, columns: parentColumns.map((column) => `{${column[row]}}`) },
        children: children.map(({ columns, rowsOf, width }) => {
          const rows = rowsOf.get(encodedId) ?? [];
          return {
            count: rows.length,
            columns: Array.from({ length: width }, (_, c) => `{${rows.map((r) => columns[c][r]).join(",")}}`),
          };
        }),
      },
    });
  }
  return records;
}
