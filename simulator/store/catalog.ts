// Products through the control surface, and the product filters of products.json.
import type { GenProduct, GenVariant } from "../generator.ts";
import { ID_BASE } from "../generator.ts";
import { buildProduct } from "../records.ts";
import { money, toCents } from "../time.ts";
import type { JsonObject } from "../types.ts";
import type { StoreState } from "./common.ts";
import { SimError } from "./errors.ts";
import { F_DELETED } from "./indexes.ts";
import type { Matcher, SimpleQuery } from "./paging.ts";

/** The status, vendor, type, handle and title filters, on the product's current record. */
export function productFilter(store: StoreState, q: SimpleQuery): Matcher | undefined {
  if (!q.productStatus && !q.vendor && !q.productType && !q.handle && !q.title) return undefined;
  return (i: number) => {
    const overlay = store.productOverlay.get(i);
    const product = store.products[i];
    const status = overlay ? overlay.status : product.status;
    const vendor = overlay ? overlay.vendor : product.vendor;
    const type = overlay ? overlay.product_type : product.productType;
    const handle = overlay ? overlay.handle : product.handle;
    const title = overlay ? overlay.title : product.title;
    if (q.productStatus && !q.productStatus.includes(status)) return false;
    if (q.vendor && vendor !== q.vendor) return false;
    if (q.productType && type !== q.productType) return false;
    if (q.handle && !q.handle.includes(handle)) return false;
    if (q.title && !String(title).toLowerCase().includes(q.title.toLowerCase())) return false;
    return true;
  };
}

/** A variant's price now: an updated product's overlay wins over the generated price. */
export function currentVariantPrice(store: StoreState, productIndex: number, v: GenVariant): number {
  const overlay = store.productOverlay.get(productIndex);
  if (overlay) {
    const variant = (overlay.variants as JsonObject[]).find((x) => x.id === v.id);
    if (variant) return toCents(variant.price);
  }
  return v.priceCents;
}

function variantOption(requested: JsonObject, k: number, count: number): string {
  return requested.option1 ? String(requested.option1) : count === 1 ? "Default Title" : `Option ${k + 1}`;
}

export function createProduct(store: StoreState, input: JsonObject = {}): JsonObject {
  const now = store.nowSec();
  const index = store.products.length;
  const id =
    Math.max(store.productIndex.lastId(), ID_BASE.product + store.params.products * 1000) +
    1000 +
    store.createRng.int(0, 999);
  const title = String(input.title ?? `New Product ${index + 1}`);
  const requested = (input.variants as JsonObject[] | undefined) ?? [{}];
  const variants: GenVariant[] = requested.map((v, k) => {
    const variantId = (store.counters.variant += 1000);
    return {
      id: variantId,
      inventoryItemId: variantId + 2_000_000_000_000,
      productIndex: index,
      position: k + 1,
      title: variantOption(v, k, requested.length),
      option1: variantOption(v, k, requested.length),
      option2: null,
      option3: null,
      priceCents: toCents(v.price ?? "10.00"),
      compareAtCents: v.compare_at_price ? toCents(v.compare_at_price) : null,
      sku: String(v.sku ?? `NEW-${index + 1}-${k + 1}`),
      grams: Number(v.grams ?? 200),
      inventoryQuantity: Number(v.inventory_quantity ?? 10),
      barcode: "",
    };
  });
  const product: GenProduct = {
    index,
    id,
    title,
    handle: String(
      input.handle ??
        title
          .toLowerCase()
          .replace(/[^a-z0-9]+/g, "-")
          .replace(/^-|-$/g, ""),
    ),
    vendor: String(input.vendor ?? "Acme Goods"),
    productType: String(input.product_type ?? ""),
    bodyHtml: String(input.body_html ?? ""),
    tags: Array.isArray(input.tags) ? (input.tags as string[]).join(", ") : String(input.tags ?? ""),
    status: (input.status as GenProduct["status"]) ?? "active",
    createdAt: now,
    updatedAt: now,
    publishedAt: (input.status ?? "active") === "active" ? now : null,
    options: [
      {
        name: requested.length === 1 && !requested[0].option1 ? "Title" : "Option",
        values: variants.map((v) => v.option1 as string),
      },
    ],
    variants,
    images: [],
  };
  store.products.push(product);
  for (const v of variants) store.variantById.set(v.id, { product: index, variant: v });
  const k = store.productIndex.push(id, now, now, 0);
  const obj = buildProduct(store, product);
  store.productOverlay.set(k, obj);
  store.announce("Product", id, "create", `Product ${title} was created.`, "products/create", () =>
    store.productJson(k),
  );
  return obj;
}

/** Product fields the control surface sets as given. */
const SIMPLE_PRODUCT_FIELDS = [
  "title",
  "body_html",
  "vendor",
  "product_type",
  "handle",
  "status",
  "template_suffix",
  "published_scope",
];
const VARIANT_FIELDS = [
  "price",
  "compare_at_price",
  "sku",
  "inventory_quantity",
  "barcode",
  "option1",
  "option2",
  "option3",
];

export function updateProduct(store: StoreState, id: number | string, patch: JsonObject): JsonObject {
  const k = store.requireProduct(id);
  const now = store.nowSec();
  const obj = store.productOverlay.get(k) ?? structuredClone(buildProduct(store, store.products[k]));
  for (const key of Object.keys(patch)) {
    const v = patch[key];
    if (SIMPLE_PRODUCT_FIELDS.includes(key)) obj[key] = v;
    else if (key === "tags") obj.tags = Array.isArray(v) ? (v as string[]).join(", ") : v;
    else if (key === "variants") {
      for (const change of v as JsonObject[]) {
        const target = (obj.variants as JsonObject[]).find((x) => x.id === Number(change.id));
        if (!target) throw new SimError(422, { errors: { variants: [`variant ${change.id} not found`] } });
        for (const field of VARIANT_FIELDS) {
          if (change[field] !== undefined)
            target[field] =
              field === "price" || field === "compare_at_price"
                ? change[field] === null
                  ? null
                  : money(toCents(change[field]))
                : change[field];
        }
        if (change.inventory_quantity !== undefined) target.old_inventory_quantity = target.inventory_quantity;
        target.updated_at = store.iso(now);
      }
    } else if (key !== "id")
      throw new SimError(422, { errors: { [key]: ["cannot be updated through the simulator"] } });
  }
  obj.updated_at = store.iso(now);
  store.productOverlay.set(k, obj);
  store.productIndex.updated[k] = now;
  store.announce("Product", obj.id, "update", `Product ${obj.title} was updated.`, "products/update", () =>
    store.productJson(k),
  );
  return obj;
}

export function deleteProduct(store: StoreState, id: number | string): void {
  const k = store.requireProduct(id);
  const productId = store.productIndex.ids[k];
  const title = store.productJson(k).title;
  store.productIndex.flags[k] |= F_DELETED;
  store.productOverlay.delete(k);
  store.announce("Product", productId, "destroy", `Product ${title} was deleted.`, "products/delete", () => ({
    id: productId,
  }));
}
