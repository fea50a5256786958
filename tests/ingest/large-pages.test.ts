import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server.ts";
import { createThreadDecoder, inlineDecoder, type PageDecoder } from "../../app/ingest/decoder.server.ts";
import { PageTooLargeError, RefetchError } from "../../app/ingest/rest-client.ts";
import { runSync } from "../../app/ingest/sync.server.ts";
import { documentedOrder } from "../../app/ingest/shopify-fixtures.ts";
import { startHarness, storedTotals, truthTotals, type Harness } from "../support/ingest-harness.ts";

// Pages too large to decode: the decoding thread running out of memory reports the page it held,
// and the sync reads that part of the store again with fewer records a page.

let h: Harness;

beforeAll(async () => {
  h = await startHarness(prisma, [], { rateLimits: false });
});
afterAll(async () => {
  await h?.close();
  await prisma.$disconnect();
});

const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value)).buffer as ArrayBuffer;

describe("the decoding thread out of memory", () => {
  it("reports the page it held as too large, the pages queued behind it for fetching again, and starts anew", async () => {
    const decoder = createThreadDecoder({ maxYoungGenerationSizeMb: 4, maxOldGenerationSizeMb: 16 });
    const order = documentedOrder();
    const huge = { orders: Array.from({ length: 20_000 }, (_, i) => ({ ...order, id: i + 1 })) };
    const small = { orders: [order] };

    const [tooLarge, queued] = await Promise.allSettled([
      decoder.decode("orders", encode(huge)),
      decoder.decode("orders", encode(small)),
    ]);
    expect(tooLarge.status === "rejected" && tooLarge.reason).toBeInstanceOf(PageTooLargeError);
    expect(queued.status === "rejected" && queued.reason).toBeInstanceOf(RefetchError);

    const again = await decoder.decode("orders", encode(small));
    expect(again.batch.parents.count).toBe(1);
  });
});

describe("a sync meeting pages too large to decode", () => {
  it("halves the page size until pages decode, and ends exact", async () => {
    const shop = await h.install({ name: "wholesale", seed: 77, products: 30, customers: 200, orders: 700 });
    // A decoder that can hold at most 100 orders a page.
    const pageSizes: number[] = [];
    const decoder: PageDecoder = {
      async decode(resource, bytes) {
        const page = await inlineDecoder.decode(resource, bytes);
        if (resource === "orders") {
          if (page.fetched > 100) throw new PageTooLargeError(`${page.fetched} orders`);
          pageSizes.push(page.fetched);
        }
        return page;
      },
    };
    h.sim.control.resetStats();
    const result = await runSync(h.deps(shop, { decoder }), { shop, trigger: "manual" });

    expect(result.status).toBe("succeeded");
    expect(await storedTotals(prisma, shop)).toEqual(truthTotals(h.sim, shop));
    // 250 → 125 → 62 records a page, and the pages after keep the smaller size.
    expect(pageSizes).toEqual([62, 62, 62, 62, 62, 62, 62, 62, 62, 62, 62, 18]);
    expect(result.resources.orders).toMatchObject({ pages: 12, fetched: 700, written: 700 });
    expect(result.retries).toBe(2);
  });
});
