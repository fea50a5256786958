import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../app/db.server.ts";
import { startAppServer, type AppServer } from "./support/app-server.ts";
import { closeAppTest, embeddedPage, installSynced } from "./support/embedded.ts";
import { startHarness, type Harness } from "./support/ingest-harness.ts";

// An offline run (the demo) sets APP_BRIDGE_URL: its pages then load nothing from Shopify's CDN. The
// built app reads its configuration on its first request, after this is set.
process.env.APP_BRIDGE_URL = "http://localhost:3000/app-bridge.js";

let app: AppServer;
let h: Harness;
beforeAll(async () => {
  app = await startAppServer();
  h = await startHarness(prisma, [], { rateLimits: false });
});
afterAll(() => closeAppTest(h, app));

describe("pages of an offline run", () => {
  it("load App Bridge from APP_BRIDGE_URL, nothing from Shopify's CDN, and let the local admin frame them", async () => {
    const shop = await installSynced(h, { name: "offline", seed: 71, products: 5, customers: 20, orders: 60 });
    for (const path of ["/app", "/app/orders", "/app/inventory"]) {
      const response = await embeddedPage(app.url, shop, path);
      expect(response.status).toBe(200);
      // The local admin's origin may frame the page, besides Shopify admin's own.
      const ancestors = response.headers
        .get("content-security-policy")
        ?.match(/frame-ancestors ([^;]*)/)?.[1]
        .split(" ");
      expect(ancestors).toContain("https://admin.shopify.com");
      expect(ancestors).toContain("http://localhost:3000");
      expect(response.headers.get("link")).toBe('<http://localhost:3000/app-bridge.js>; rel="preload"; as="script";');
      const html = await response.text();
      expect(html).toContain('src="http://localhost:3000/app-bridge.js"');
      expect(html).not.toContain("cdn.shopify.com");
      expect(html).toContain('href="/favicon.svg"');
    }
  });
});
