// The catalogue: every product and variant, generated eagerly (they are few).
import { mix, rngFor } from "../rng.ts";
import type { Rng } from "../rng.ts";
import { ADJECTIVES, COLORS, MATERIALS, NOUNS, PRODUCT_TYPES, SIZES, VENDORS } from "../data.ts";
import { DAY, ID_BASE, S_PRODUCT, idAt, startOfPeriod } from "./ids.ts";
import type { StoreParams } from "./ids.ts";

export interface GenVariant {
  id: number;
  inventoryItemId: number;
  productIndex: number;
  position: number;
  title: string;
  option1: string | null;
  option2: string | null;
  option3: string | null;
  priceCents: number;
  compareAtCents: number | null;
  sku: string;
  grams: number;
  inventoryQuantity: number;
  barcode: string;
}

export interface GenProduct {
  index: number;
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  bodyHtml: string;
  tags: string;
  status: "active" | "draft" | "archived";
  createdAt: number;
  updatedAt: number;
  publishedAt: number | null;
  options: { name: string; values: string[] }[];
  variants: GenVariant[];
  images: { id: number; position: number; width: number; height: number; src: string; alt: string | null }[];
}

function slug(s: string): string {
  return s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

function optionPlan(rng: Rng, nVariants: number): { name: string; values: string[] }[] {
  if (nVariants === 1) return [{ name: "Title", values: ["Default Title"] }];
  if (nVariants <= SIZES.length && rng.chance(0.5)) return [{ name: "Size", values: SIZES.slice(0, nVariants) }];
  if (nVariants <= COLORS.length && rng.chance(0.5)) return [{ name: "Color", values: COLORS.slice(0, nVariants) }];
  if (nVariants <= SIZES.length * COLORS.length && nVariants <= 60) {
    const colors = Math.ceil(nVariants / SIZES.length);
    return [
      { name: "Size", values: SIZES.slice() },
      { name: "Color", values: COLORS.slice(0, Math.max(colors, 1)) },
    ];
  }
  return [
    { name: "Size", values: SIZES.slice() },
    { name: "Color", values: COLORS.slice() },
    { name: "Material", values: MATERIALS.slice() },
  ];
}

/** Generates every product of the store (deterministic). */
export function generateProducts(p: StoreParams): GenProduct[] {
  const out: GenProduct[] = [];
  const start = startOfPeriod(p);
  let gv = 0;
  const firstBig = Math.max(0, p.products - p.bigVariantProducts);
  for (let i = 0; i < p.products; i++) {
    const rng = rngFor(p.seed, S_PRODUCT, i);
    const big = i >= firstBig;
    const nVariants = big ? 101 + rng.int(0, 49) : [1, 1, 1, 2, 3, 3, 4, 5, 6, 8, 10][rng.int(0, 10)];
    const adjective = ADJECTIVES[rng.int(0, ADJECTIVES.length - 1)];
    const noun = NOUNS[rng.int(0, NOUNS.length - 1)];
    const title = `${adjective} ${noun}${big ? " Collection" : ""} ${i + 1}`;
    const basePrice = rng.int(3, 120) * 100 + [0, 50, 95, 99][rng.int(0, 3)];
    const createdAt = start - (p.products - i) * 3600 - rng.int(0, 3599) - 30 * DAY;
    const options = optionPlan(rng, nVariants);
    const variants: GenVariant[] = [];
    for (let v = 0; v < nVariants; v++) {
      // decompose v over the option value counts
      let rest = v;
      const vals: (string | null)[] = [null, null, null];
      for (let o = 0; o < options.length; o++) {
        const n = options[o].values.length;
        vals[o] = options[o].values[rest % n];
        rest = Math.floor(rest / n);
      }
      const vr = rngFor(p.seed, S_PRODUCT, i, v + 1);
      const priceCents = basePrice + (vr.chance(0.3) ? vr.int(1, 4) * 100 : 0);
      const onSale = vr.chance(0.2);
      variants.push({
        id: idAt(p.seed, 10, ID_BASE.variant, gv),
        inventoryItemId: idAt(p.seed, 11, ID_BASE.inventoryItem, gv),
        productIndex: i,
        position: v + 1,
        title: vals.filter((x) => x !== null).join(" / "),
        option1: vals[0],
        option2: vals[1],
        option3: vals[2],
        priceCents,
        compareAtCents: onSale ? priceCents + vr.int(5, 30) * 100 : null,
        sku: `SKU-${String(i + 1).padStart(5, "0")}-${String(v + 1).padStart(3, "0")}`,
        grams: vr.int(50, 2500),
        inventoryQuantity: vr.int(0, 250),
        barcode: String(mix(p.seed, 12, gv) % 1_000_000_000_000).padStart(12, "0"),
      });
      gv++;
    }
    const nImages = rng.int(0, 3);
    const images = [];
    for (let k = 0; k < nImages; k++) {
      images.push({
        id: idAt(p.seed, 13, ID_BASE.image, i * 4 + k),
        position: k + 1,
        width: 1024,
        height: 1024,
        src: `https://cdn.shopify.com/s/files/1/0000/0001/products/${slug(title)}-${k + 1}.jpg`,
        alt: k === 0 ? title : null,
      });
    }
    const statusRoll = rng.next();
    const status = statusRoll < 0.9 ? "active" : statusRoll < 0.96 ? "draft" : "archived";
    const updatedAt = Math.min(p.nowSec - 60, createdAt + rng.int(0, Math.max(1, p.nowSec - createdAt)));
    const nTags = rng.int(0, 3);
    const tags: string[] = [];
    for (let k = 0; k < nTags; k++) {
      const t = ["new", "bestseller", "sale", "eco", "limited", "gift"][rng.int(0, 5)];
      if (!tags.includes(t)) tags.push(t);
    }
    out.push({
      index: i,
      id: idAt(p.seed, S_PRODUCT, ID_BASE.product, i),
      title,
      handle: slug(title),
      vendor: VENDORS[rng.int(0, VENDORS.length - 1)],
      productType: PRODUCT_TYPES[rng.int(0, PRODUCT_TYPES.length - 1)],
      bodyHtml: `<p>${adjective} ${noun.toLowerCase()} made with care.</p>`,
      tags: tags.sort().join(", "),
      status,
      createdAt,
      updatedAt,
      publishedAt: status === "active" ? createdAt + 600 : null,
      options,
      variants,
      images,
    });
  }
  return out;
}
