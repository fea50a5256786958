import { describe, expect, it } from "vitest";
import {
  documentedCustomer,
  documentedOrder,
  documentedProduct,
  mappedRow,
} from "../../../tests/support/shopify-fixtures.ts";
import type { ChildTableOf, TableSpecOf } from "./tables.ts";
import { fieldsRead, personalData, recordTopics, resourceNamed, resources, type ResourceName } from "./index.ts";
import { lineItemTable, refundTable, type OrderRow } from "./orders.ts";
import type { ProductRow } from "./products.ts";

// Type-level: `npm run typecheck` fails when one of these stops being an error, i.e. when a column
// could again name a row key that does not exist or a value it cannot hold.
const _misspelledKey: TableSpecOf<OrderRow> = {
  table: '"order"',
  columns: [
    ["id", "id", "bigint"],
    // @ts-expect-error a column's key is a key of the row: a renamed field does not compile
    ["total_price", "totalPrise", "numeric"],
  ],
};
const _wrongType: TableSpecOf<ProductRow> = {
  table: "product",
  columns: [
    // @ts-expect-error variantCount is a number: an int column, not text
    ["variant_count", "variantCount", "text"],
    // @ts-expect-error a list of child rows is a child table, not a column
    ["variants", "variants", "text"],
  ],
};
const _children: ChildTableOf<OrderRow>[] = [
  { spec: lineItemTable, key: "lineItems", parentColumn: "order_id" },
  // @ts-expect-error the child key is a list the parent row carries
  { spec: lineItemTable, key: "lines", parentColumn: "order_id" },
  // @ts-expect-error and its rows are the ones the table describes
  { spec: refundTable, key: "lineItems", parentColumn: "order_id" },
];

const documented: Record<ResourceName, () => unknown> = {
  products: documentedProduct,
  customers: documentedCustomer,
  orders: documentedOrder,
};

describe("resource declarations", () => {
  it.each(resources.map((r) => r.name))("%s: every field of a mapped row is a column or a child table", (name) => {
    const resource = resourceNamed(name);
    const row = mappedRow(resource.map(documented[name]())) as Record<string, unknown>;
    const keys = [...resource.table.columns.map(([, key]) => key), ...resource.children.map((child) => child.key)];
    expect(Object.keys(row).sort()).toEqual([...keys].sort());
    for (const child of resource.children) {
      const childRows = row[child.key] as Record<string, unknown>[];
      expect(childRows.length, child.key).toBeGreaterThan(0);
      for (const childRow of childRows) {
        expect(Object.keys(childRow).sort()).toEqual(child.spec.columns.map(([, key]) => key).sort());
      }
    }
  });

  it("ask Shopify for the fields their payload schemas read", () => {
    expect(fieldsRead.orders).toContain("line_items");
    expect(resourceNamed("orders").baseQuery).toEqual({ status: "any", fields: fieldsRead.orders.join(",") });
    expect(resourceNamed("products").baseQuery).toEqual({ fields: fieldsRead.products.join(",") });
  });

  it("route each record webhook topic to its resource", () => {
    expect(recordTopics.get("orders/cancelled")).toEqual({ resource: "orders", action: "upsert" });
    expect(recordTopics.get("customers/delete")).toEqual({ resource: "customers", action: "delete" });
    expect(recordTopics.size).toBe(10);
  });

  it("name personal data by columns their tables write", () => {
    for (const resource of resources) {
      const keys = resource.table.columns.map(([, key]) => key);
      for (const field of personalData[resource.name]) expect(keys).toContain(field);
    }
    expect(personalData.customers).toContain("email");
    expect(personalData.orders).toEqual(["email"]);
  });
});
