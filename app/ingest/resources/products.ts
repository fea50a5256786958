import { z } from "zod";
import type { TableSpecOf } from "./tables.ts";
import { id, int, mapper, money, optionalId, optionalMoney, optionalTimestamp, text, timestamp } from "./payload.ts";
import { defineResource } from "./resource.ts";

// Products and their variants.

const variantSchema = z.object({
  id,
  title: text,
  sku: text,
  price: money,
  compare_at_price: optionalMoney,
  position: int,
  inventory_item_id: optionalId,
  inventory_quantity: int,
  updated_at: optionalTimestamp,
});

const productSchema = z.object({
  id,
  title: z.string(),
  handle: text,
  vendor: text,
  product_type: text,
  status: text,
  tags: text,
  created_at: optionalTimestamp,
  updated_at: timestamp,
  variants: z.array(variantSchema).default([]),
});

export interface ProductRow {
  id: string;
  title: string;
  handle: string | null;
  vendor: string | null;
  productType: string | null;
  status: string | null;
  tags: string | null;
  variantCount: number;
  createdAt: string | null;
  updatedAt: string;
  variants: VariantRow[];
}

export interface VariantRow {
  id: string;
  productId: string;
  title: string | null;
  sku: string | null;
  price: string;
  compareAtPrice: string | null;
  position: number | null;
  inventoryItemId: string | null;
  inventoryQuantity: number | null;
  updatedAt: string | null;
}

export const mapProduct = mapper(productSchema, (p): ProductRow => ({
  id: p.id,
  title: p.title,
  handle: p.handle,
  vendor: p.vendor,
  productType: p.product_type,
  status: p.status,
  tags: p.tags,
  variantCount: p.variants.length,
  createdAt: p.created_at,
  updatedAt: p.updated_at,
  variants: p.variants.map((v) => ({
    id: v.id,
    productId: p.id,
    title: v.title,
    sku: v.sku,
    price: v.price,
    compareAtPrice: v.compare_at_price,
    position: v.position,
    inventoryItemId: v.inventory_item_id,
    inventoryQuantity: v.inventory_quantity,
    updatedAt: v.updated_at,
  })),
}));

export const productTable: TableSpecOf<ProductRow> = {
  table: "product",
  columns: [
    ["id", "id", "bigint"],
    ["title", "title", "text"],
    ["handle", "handle", "text"],
    ["vendor", "vendor", "text"],
    ["product_type", "productType", "text"],
    ["status", "status", "text"],
    ["tags", "tags", "text"],
    ["variant_count", "variantCount", "int"],
    ["shopify_created_at", "createdAt", "timestamptz"],
    ["shopify_updated_at", "updatedAt", "timestamptz"],
  ],
};

export const variantTable: TableSpecOf<VariantRow> = {
  table: "product_variant",
  columns: [
    ["id", "id", "bigint"],
    ["product_id", "productId", "bigint"],
    ["title", "title", "text"],
    ["sku", "sku", "text"],
    ["price", "price", "numeric"],
    ["compare_at_price", "compareAtPrice", "numeric"],
    ["position", "position", "int"],
    ["inventory_item_id", "inventoryItemId", "bigint"],
    ["inventory_quantity", "inventoryQuantity", "int"],
    ["shopify_updated_at", "updatedAt", "timestamptz"],
  ],
};

// Shopify's REST products endpoint returns at most 100 variants per product.
export const REST_VARIANT_LIMIT = 100;

export const products = defineResource({
  name: "products",
  path: "products.json",
  bodyKey: "products",
  payload: productSchema,
  map: mapProduct,
  inspect: (row) =>
    row.variants.length >= REST_VARIANT_LIMIT
      ? `Product ${row.id} lists ${row.variants.length} variants, the most Shopify's REST products endpoint returns; further variants need the GraphQL Admin API.`
      : undefined,
  eventSubject: "Product",
  webhookTopics: { upsert: ["products/create", "products/update"], delete: ["products/delete"] },
  table: productTable,
  children: [{ spec: variantTable, key: "variants", parentColumn: "product_id" }],
});
