import { describe, expect, it } from "vitest";
import { mapProduct, type ProductRow } from "./products.ts";
import { documentedProduct, mappedRow } from "../../../tests/support/shopify-fixtures.ts";

describe("mapProduct", () => {
  it("maps the documented product IPod Nano - 8GB with its variants", () => {
    const expected: ProductRow = {
      id: "632910392",
      title: "IPod Nano - 8GB",
      handle: "ipod-nano",
      vendor: "Apple",
      productType: "Cult Products",
      status: "active",
      tags: "Emotive, Flash Memory, MP3, Music",
      variantCount: 4,
      createdAt: "2024-01-02T08:59:11-05:00",
      updatedAt: "2024-01-02T08:59:11-05:00",
      variants: [
        [808950810, "Pink", 1, 10],
        [49148385, "Red", 2, 20],
        [39072856, "Green", 3, 30],
        [457924702, "Black", 4, 40],
      ].map(([id, title, position, quantity]) => ({
        id: String(id),
        productId: "632910392",
        title: title as string,
        sku: `IPOD2008${(title as string).toUpperCase()}`,
        price: "199.00",
        compareAtPrice: null,
        position: position as number,
        inventoryItemId: String(id),
        inventoryQuantity: quantity as number,
        updatedAt: "2024-01-02T08:59:11-05:00",
      })),
    };
    expect(mapProduct(documentedProduct())).toEqual({ ok: true, row: expected });
  });

  it("keeps prices as exact strings, including compare_at_price", () => {
    const product = documentedProduct();
    product.variants![0] = { ...product.variants![0], price: "0.10", compare_at_price: "1234567890.99" };
    const variant = mappedRow(mapProduct(product)).variants[0];
    expect(variant.price).toBe("0.10");
    expect(variant.compareAtPrice).toBe("1234567890.99");
  });

  it("maps variants without inventory item, negative stock, or missing optional fields", () => {
    const product = documentedProduct();
    product.variants = [
      { id: 1, price: "5.00", inventory_item_id: null, inventory_quantity: -3 },
      { id: 2, price: "6.00" },
    ];
    expect(mappedRow(mapProduct(product)).variants).toEqual([
      {
        id: "1",
        productId: "632910392",
        title: null,
        sku: null,
        price: "5.00",
        compareAtPrice: null,
        position: null,
        inventoryItemId: null,
        inventoryQuantity: -3,
        updatedAt: null,
      },
      {
        id: "2",
        productId: "632910392",
        title: null,
        sku: null,
        price: "6.00",
        compareAtPrice: null,
        position: null,
        inventoryItemId: null,
        inventoryQuantity: null,
        updatedAt: null,
      },
    ]);
  });

  it("maps a product listed without variants (fields= filter) to no variants", () => {
    const product = documentedProduct();
    delete product.variants;
    const row = mappedRow(mapProduct(product));
    expect(row.variants).toEqual([]);
    expect(row.variantCount).toBe(0);
  });

  it("maps a minimal product: only id, title and updated_at are required", () => {
    expect(mapProduct({ id: 1, title: "Gift card", updated_at: "2024-01-02T08:59:11-05:00" })).toEqual({
      ok: true,
      row: {
        id: "1",
        title: "Gift card",
        handle: null,
        vendor: null,
        productType: null,
        status: null,
        tags: null,
        variantCount: 0,
        createdAt: null,
        updatedAt: "2024-01-02T08:59:11-05:00",
        variants: [],
      },
    });
  });

  const cases: [string, (p: ReturnType<typeof documentedProduct>) => unknown, string | null, RegExp][] = [
    ["missing id", ({ id: _id, ...rest }) => rest, null, /^id: /],
    ["id as a string", (p) => ({ ...p, id: "632910392" }), "632910392", /^id: /],
    ["negative id", (p) => ({ ...p, id: -1 }), "-1", /^id: /],
    ["missing title", ({ title: _t, ...rest }) => rest, "632910392", /^title: /],
    ["missing updated_at", ({ updated_at: _u, ...rest }) => rest, "632910392", /^updated_at: /],
    ["bad updated_at", (p) => ({ ...p, updated_at: "2024-13-45T99:00:00Z" }), "632910392", /^updated_at: /],
    [
      "variant price not a number",
      (p) => ({ ...p, variants: [p.variants![0], { ...p.variants![1], price: "abc" }] }),
      "632910392",
      /^variants\.1\.price: /,
    ],
    ["variant price missing", (p) => ({ ...p, variants: [{ id: 1 }] }), "632910392", /^variants\.0\.price: /],
    [
      "variant id as a string",
      (p) => ({ ...p, variants: [{ ...p.variants![0], id: "808950810" }] }),
      "632910392",
      /^variants\.0\.id: /,
    ],
    [
      "variant inventory_quantity as a string",
      (p) => ({ ...p, variants: [{ ...p.variants![0], inventory_quantity: "10" }] }),
      "632910392",
      /^variants\.0\.inventory_quantity: /,
    ],
  ];

  it.each(cases)("reports a malformed record: %s", (_name, mutate, id, reason) => {
    expect(mapProduct(mutate(documentedProduct()))).toEqual({ ok: false, id, reason: expect.stringMatching(reason) });
  });

  it("does not throw on inputs that are not objects", () => {
    for (const input of [null, undefined, 7, "x", []]) {
      expect(mapProduct(input)).toMatchObject({ ok: false, id: null });
    }
  });
});
