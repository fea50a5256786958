// Product and variant records in REST shape.
import type { GenProduct, GenVariant } from "../generator.ts";
import { ID_BASE } from "../generator.ts";
import { money } from "../time.ts";
import type { JsonObject } from "../types.ts";
import type { RecordContext } from "./common.ts";
import { gid } from "./common.ts";

export function variantJson(
  ctx: RecordContext,
  productId: number,
  v: GenVariant,
  createdAt: number,
  updatedAt: number,
): JsonObject {
  return {
    id: v.id,
    product_id: productId,
    title: v.title,
    price: money(v.priceCents),
    position: v.position,
    inventory_policy: "deny",
    compare_at_price: v.compareAtCents === null ? null : money(v.compareAtCents),
    option1: v.option1,
    option2: v.option2,
    option3: v.option3,
    created_at: ctx.iso(createdAt),
    updated_at: ctx.iso(updatedAt),
    taxable: true,
    barcode: v.barcode,
    fulfillment_service: "manual",
    grams: v.grams,
    inventory_management: "shopify",
    requires_shipping: true,
    sku: v.sku,
    weight: Math.round(v.grams / 10) / 100,
    weight_unit: "kg",
    inventory_item_id: v.inventoryItemId,
    inventory_quantity: v.inventoryQuantity,
    old_inventory_quantity: v.inventoryQuantity,
    admin_graphql_api_id: gid("ProductVariant", v.id),
    image_id: null,
  };
}

/** Full REST product record built from the generated catalogue entry. */
export function buildProduct(ctx: RecordContext, g: GenProduct): JsonObject {
  const created = ctx.iso(g.createdAt);
  const updated = ctx.iso(g.updatedAt);
  const images = g.images.map((im) => ({
    id: im.id,
    alt: im.alt,
    position: im.position,
    product_id: g.id,
    created_at: created,
    updated_at: updated,
    admin_graphql_api_id: gid("ProductImage", im.id),
    width: im.width,
    height: im.height,
    src: im.src,
    variant_ids: [],
  }));
  return {
    id: g.id,
    title: g.title,
    body_html: g.bodyHtml,
    vendor: g.vendor,
    product_type: g.productType,
    created_at: created,
    handle: g.handle,
    updated_at: updated,
    published_at: g.publishedAt === null ? null : ctx.iso(g.publishedAt),
    template_suffix: null,
    published_scope: "web",
    tags: g.tags,
    status: g.status,
    admin_graphql_api_id: gid("Product", g.id),
    variants: g.variants.map((v) => variantJson(ctx, g.id, v, g.createdAt, g.updatedAt)),
    options: g.options.map((o, k) => ({
      id: ID_BASE.option + g.index * 4 + k,
      product_id: g.id,
      name: o.name,
      position: k + 1,
      values: o.values,
    })),
    images,
    image: images[0] ?? null,
  };
}
