import prisma from "../db.server.ts";
import { resolveShop } from "../shops/resolve.server.ts";
import { resources as declaredResources } from "../ingest/resources/index.ts";
import type { DataState, ImportProgress, ShopInfo } from "./types.ts";

export interface ShopRecord {
  id: number;
  domain: string;
  name: string;
  currency: string;
  timezone: string;
  locale: string;
  protectedCustomerData: boolean | null;
  lowStockThreshold: number;
  /** A first import is writing orders; the read model is built at its end. */
  readModelStale: boolean;
}

/** The signed-in shop. One that has no row yet (never synced) reads as an empty shop. */
export async function findShop(domain: string): Promise<ShopRecord> {
  const shop = await resolveShop(prisma, domain, { includeUninstalled: true });
  return {
    id: shop?.id ?? -1,
    domain,
    name: shop?.name ?? domain,
    currency: shop?.currency ?? "USD",
    timezone: validZone(shop?.timezone) ?? "UTC",
    locale: shop?.locale ?? "en",
    protectedCustomerData: shop?.protectedCustomerData ?? null,
    lowStockThreshold: shop?.lowStockThreshold ?? 5,
    readModelStale: shop?.readModelStale ?? false,
  };
}

function validZone(zone: string | null | undefined): string | null {
  if (!zone) return null;
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return zone;
  } catch {
    return null;
  }
}

export function shopInfo(shop: ShopRecord): ShopInfo {
  return {
    name: shop.name,
    domain: shop.domain,
    currency: shop.currency,
    timezone: shop.timezone,
    locale: shop.locale,
  };
}

type ResourceProgressJson = { written?: number; fetched?: number; total?: number | null; status?: string };

/**
 * Whether the figures are complete: "importing" while the shop's first import runs (no import has
 * finished yet), "empty" when nothing was imported and none is running, else "ready".
 */
export async function dataState(
  shop: ShopRecord,
): Promise<{ state: DataState; importProgress: ImportProgress | null }> {
  const [finished, active, anyData] = await Promise.all([
    prisma.syncRun.findFirst({
      where: { shopId: shop.id, status: { in: ["succeeded", "partial"] } },
      select: { id: true },
    }),
    prisma.syncRun.findFirst({
      where: { shopId: shop.id, status: { in: ["queued", "running"] } },
      orderBy: { queuedAt: "desc" },
    }),
    prisma.product
      .findFirst({ where: { shopId: shop.id }, select: { id: true } })
      .then(
        async (product) =>
          product ?? (await prisma.order.findFirst({ where: { shopId: shop.id }, select: { id: true } })),
      ),
  ]);
  if ((!finished || shop.readModelStale) && active) {
    const resources = (active.resources ?? {}) as Record<string, ResourceProgressJson | undefined>;
    return {
      state: "importing",
      importProgress: {
        startedAt: (active.startedAt ?? active.queuedAt).toISOString(),
        resources: declaredResources.map(({ name }) => {
          const entry = resources[name];
          return {
            name,
            written: entry?.fetched ?? 0,
            total: entry?.total ?? null,
            done: entry?.status === "done",
          };
        }),
      },
    };
  }
  // A first import that stopped before its orders were complete: figures wait for the next sync.
  if (shop.readModelStale) return { state: "importing", importProgress: null };
  return { state: anyData ? "ready" : "empty", importProgress: null };
}
