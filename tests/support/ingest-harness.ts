import { getGlobalDispatcher, setGlobalDispatcher, type Dispatcher } from "undici";
import type { PrismaClient } from "@prisma/client";
import { startSimulator } from "../../simulator/index.ts";
import type { ShopSpec, Simulator, SimulatorOptions, WebhookSubscription } from "../../simulator/index.ts";
import type { SyncDependencies } from "../../app/ingest/sync.server.ts";
import { pool } from "../../app/db.server.ts";
import { accessScopes } from "../../app/lib/access-scopes.ts";

// The simulator over real HTTPS, reached the way the app reaches Shopify: the app builds
// https://{shop}/admin/api/… URLs and the process's HTTP dispatcher resolves *.myshopify.com to the
// simulator. Shops are installed as the app's afterAuth would leave them.

export const apiKey = process.env.SHOPIFY_API_KEY!;
export const apiSecret = process.env.SHOPIFY_API_SECRET!;
export const scopes = [...accessScopes];

export interface Harness {
  sim: Simulator;
  tokens: Map<string, string>;
  deps(shop: string, overrides?: Partial<SyncDependencies>): SyncDependencies;
  install(spec: ShopSpec): Promise<string>;
  close(): Promise<void>;
}

export async function startHarness(
  db: PrismaClient,
  shops: ShopSpec[],
  options: Omit<SimulatorOptions, "apps" | "shops"> & { webhooks?: WebhookSubscription[] } = {},
): Promise<Harness> {
  const sim = await startSimulator({
    ...options,
    apps: [
      {
        apiKey,
        apiSecret,
        scopes,
        webhooks: options.webhooks ?? [],
      },
    ],
  });
  const previous: Dispatcher = getGlobalDispatcher();
  setGlobalDispatcher(sim.dispatcher());
  const tokens = new Map<string, string>();

  const harness: Harness = {
    sim,
    tokens,
    deps: (shop, overrides = {}) => ({
      db,
      pool,
      token: { get: async () => tokens.get(shop)! },
      client: { backoff: { baseMs: 5, maxMs: 50 }, timeoutMs: 2_000 },
      ...overrides,
    }),
    async install(spec) {
      const info = await sim.addShop(spec);
      const { accessToken, scope } = sim.installApp(info.domain, apiKey);
      tokens.set(info.domain, accessToken);
      await db.shop.upsert({
        where: { domain: info.domain },
        create: { domain: info.domain, scopes: scope },
        update: { scopes: scope, uninstalledAt: null },
      });
      return info.domain;
    },
    async close() {
      setGlobalDispatcher(previous);
      await sim.close();
    },
  };
  for (const spec of shops) await harness.install(spec);
  return harness;
}

/** The stored shop's id (its rows' shop_id). */
export async function shopIdOf(db: PrismaClient, domain: string): Promise<number> {
  return (await db.shop.findUniqueOrThrow({ where: { domain } })).id;
}

/** What the database holds for a shop, in the simulator's ground-truth terms. */
export async function storedTotals(db: PrismaClient, shop: string) {
  const shopId = await shopIdOf(db, shop);
  const [products, variants, customers, orders, lineItems, refunds] = await Promise.all([
    db.product.count({ where: { shopId } }),
    db.productVariant.count({ where: { shopId } }),
    db.customer.count({ where: { shopId } }),
    db.order.count({ where: { shopId } }),
    db.orderLineItem.count({ where: { shopId } }),
    db.refund.count({ where: { shopId } }),
  ]);
  const [money] = await db.$queryRawUnsafe<{ gross: string; refunds: string; net: string; counted: bigint }[]>(
    `SELECT coalesce(sum(total_price), 0)::numeric(20,2)::text AS gross,
            coalesce(sum(total_refunded), 0)::numeric(20,2)::text AS refunds,
            coalesce(sum(total_price - total_refunded), 0)::numeric(20,2)::text AS net,
            count(*) AS counted
     FROM "order" WHERE shop_id = $1 AND NOT test AND cancelled_at IS NULL`,
    shopId,
  );
  return {
    counts: { products, variants, customers, orders, lineItems, refunds, countedOrders: Number(money.counted) },
    totals: { gross: money.gross, refunds: money.refunds, net: money.net },
  };
}

export function truthTotals(sim: Simulator, shop: string, options: { customers?: boolean } = {}) {
  const truth = sim.truth(shop);
  return {
    counts: {
      products: truth.counts.products,
      variants: truth.counts.variants,
      customers: options.customers === false ? 0 : truth.counts.customers,
      orders: truth.counts.orders,
      lineItems: truth.counts.lineItems,
      refunds: truth.counts.refunds,
      countedOrders: truth.counts.countedOrders,
    },
    totals: { gross: truth.totals.gross, refunds: truth.totals.refunds, net: truth.totals.net },
  };
}
