import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import prisma from "../../app/db.server.ts";
import { browserHeaders, startAppServer, type AppServer } from "../support/app-server.ts";
import { encodeCursor } from "../../app/insights/lists.server.ts";
import { orderList } from "../../app/insights/orders.server.ts";
import { bearerHeaders, closeAppTest, installSynced } from "../support/embedded.ts";
import { apiKey, apiSecret, startHarness, type Harness } from "../support/ingest-harness.ts";
import { signSessionToken } from "../support/session-token.ts";

// Every page of the app as a stranger with a valid session token can ask for it, with hostile
// parameters: impossible and extreme dates, ids past bigint, repeated parameters, NUL and invalid
// UTF-8, unknown values, list cursors signed with the app's secret but crafted inside, bodies that
// are not forms. Each is answered with its reason (400 to a data request, the page with its banner
// to a page load) or a 404 page, never a 500; nothing stored changes.

let app: AppServer;
let h: Harness;
let shop = "";

beforeAll(async () => {
  app = await startAppServer();
  h = await startHarness(prisma, [], { rateLimits: false });
  shop = await installSynced(h, {
    name: "hostile",
    seed: 111,
    products: 8,
    customers: 20,
    orders: 60,
    days: 60,
    timezone: "Pacific/Kiritimati",
  });
});

afterAll(() => closeAppTest(h, app));

/** The query Shopify admin frames every page with, then the test's own, as raw text (repeats, %00, %FF). */
function url(path: string, query: string): string {
  const framing = new URLSearchParams({
    embedded: "1",
    shop,
    host: Buffer.from(`admin.shopify.com/store/${shop.split(".")[0]}`).toString("base64url"),
    id_token: signSessionToken(shop, { apiKey, secret: apiSecret }),
  });
  return `${app.url}${path}?${framing}${query ? `&${query}` : ""}`;
}

/** A query as tests name it: `x{5000}` is "x" 5,000 times. */
const expand = (query: string) => query.replace(/(\w)\{(\d+)\}/g, (_, c: string, n: string) => c.repeat(Number(n)));

/** The app's own navigation: the route's data (Remix's single fetch, `<path>.data`). */
const dataRequest = (path: string, query = "") =>
  fetch(url(`${path}.data`, expand(query)), { headers: browserHeaders, redirect: "manual" });

/** The browser loading the page itself in admin's iframe (a shared link, a reload). */
const pageLoad = (path: string, query = "") =>
  fetch(url(path, expand(query)), { headers: { ...browserHeaders, "sec-fetch-dest": "iframe" }, redirect: "manual" });

/** A list cursor signed with the app's secret exactly as encodeCursor signs one, around any payload text. */
function signedCursor(payloadText: string): string {
  const payload = Buffer.from(payloadText).toString("base64url");
  const mac = createHmac("sha256", apiSecret).update(`${shop}\n${payload}`).digest().subarray(0, 16);
  return `${payload}.${mac.toString("base64url")}`;
}

const cursor = (...items: unknown[]) => encodeURIComponent(signedCursor(JSON.stringify(items)));

const BANNER_TITLE = "This report can&#x27;t be shown for this address";
const STACK_TRACE = /at \w+ \(.*\.[jt]s:\d+/;

/** A refused parameter: 400 with the reason naming it as data, 200 with the banner as a page. */
async function expectRefused(path: string, query: string, field: string, reason: RegExp) {
  const data = await dataRequest(path, query);
  const body = await data.text();
  expect(data.status, body.slice(0, 300)).toBe(400);
  expect(body).toContain(`"${field}"`);
  expect(body).toMatch(reason);
  expect(body).not.toMatch(STACK_TRACE);
  const page = await pageLoad(path, query);
  const html = await page.text();
  expect(page.status).toBe(200);
  expect(html).toContain(BANNER_TITLE);
  expect(html).toMatch(reason);
  expect(html).not.toMatch(STACK_TRACE);
}

/** An accepted request: 200 both ways, no banner. */
async function expectAnswered(path: string, query: string) {
  const data = await dataRequest(path, query);
  expect(data.status, (await data.clone().text()).slice(0, 300)).toBe(200);
  const page = await pageLoad(path, query);
  expect(page.status).toBe(200);
  expect(await page.text()).not.toContain(BANNER_TITLE);
}

const NOT_CALENDAR = /not a date on the calendar/;
const NOT_YYYY = /must be written YYYY-MM-DD/;
const BAD_LINK = /page link is not valid/;

describe("dates", () => {
  it.each([
    ["from=2026-02-30", "from", NOT_CALENDAR],
    ["from=2026-13-45", "from", NOT_CALENDAR],
    ["to=0000-00-00", "to", NOT_CALENDAR],
    ["from=2026-04-31&to=2026-05-01", "from", NOT_CALENDAR],
    ["to=2025-02-29", "to", NOT_CALENDAR],
    ["from=1999-12-31", "from", /before 2000-01-01, the earliest/],
    ["from=0001-01-01", "from", /before 2000-01-01, the earliest/],
    ["from=10000-01-01", "from", NOT_YYYY],
    ["from=2026-1-5", "from", NOT_YYYY],
    ["to=%EF%BC%92%EF%BC%90%EF%BC%92%EF%BC%96-01-01", "to", NOT_YYYY],
    ["from=2026-01-01%00", "from", NOT_YYYY],
    ["from=%FF", "from", NOT_YYYY],
    ["from=2026-01-01&from=2026-01-02", "from", /appears 2 times/],
  ])("refuses the orders' %s", (query, field, reason) => expectRefused("/app/orders", query, field, reason));

  it.each([
    ["range=custom&from=2026-02-30&to=2026-03-01", "from", NOT_CALENDAR],
    ["range=custom&from=2026-01-01&to=0000-00-00", "to", NOT_CALENDAR],
    ["range=custom&from=1999-12-31&to=2000-01-05", "from", /before 2000-01-01, the earliest/],
    ["range=custom&from=2026-01-01&to=9999-12-31", "to", /after today/],
  ])("refuses the overview's %s", (query, field, reason) => expectRefused("/app", query, field, reason));

  it("refuses a product's impossible range", async () => {
    const product = await prisma.product.findFirstOrThrow({ where: { shop: { domain: shop } } });
    await expectRefused(
      `/app/products/${product.id}`,
      "range=custom&from=2026-02-30&to=2026-03-01",
      "from",
      NOT_CALENDAR,
    );
  });

  it("answers the orders' widest days: 2000-01-01 to 9999-12-31", async () => {
    await expectAnswered("/app/orders", "from=2000-01-01&to=9999-12-31");
    const data = await (await dataRequest("/app/orders", "from=2000-01-01&to=9999-12-31")).text();
    const first = await prisma.order.findFirstOrThrow({
      where: { shop: { domain: shop } },
      orderBy: { processedAt: "desc" },
    });
    expect(data).toContain(first.name);
  });
});

describe("list cursors signed with the app's secret, crafted inside", () => {
  const BIGINT_PAST = "9223372036854775808";
  it.each([
    ["/app/orders", "", "not JSON", () => encodeURIComponent(signedCursor("not json"))],
    ["/app/orders", "", "an object", () => encodeURIComponent(signedCursor("{}"))],
    ["/app/orders", "", "a number for the date", () => cursor("date", 5, "1")],
    ["/app/orders", "", "text not a date", () => cursor("date", "yesterday", "1")],
    ["/app/orders", "", "PostgreSQL's 'epoch'", () => cursor("date", "epoch", "1")],
    ["/app/orders", "", "an impossible instant", () => cursor("date", "2026-02-30T00:00:00.000Z", "1")],
    ["/app/orders", "", "null for the date", () => cursor("date", null, "1")],
    ["/app/orders", "", "an object for the date", () => cursor("date", { a: 1 }, "1")],
    ["/app/orders", "", "an array for the date", () => cursor("date", ["2026-01-01T00:00:00.000Z"], "1")],
    ["/app/orders", "", "an id past bigint", () => cursor("date", "2026-01-01T00:00:00.000Z", BIGINT_PAST)],
    ["/app/orders", "", "a negative id", () => cursor("date", "2026-01-01T00:00:00.000Z", "-1")],
    ["/app/orders", "", "a number id", () => cursor("date", "2026-01-01T00:00:00.000Z", 1)],
    ["/app/orders", "", "four items", () => cursor("date", "2026-01-01T00:00:00.000Z", "1", "x")],
    ["/app/orders", "", "two items", () => cursor("date", "2026-01-01T00:00:00.000Z")],
    ["/app/orders", "sort=number&", "text for an order number", () => cursor("number", "abc", "1")],
    ["/app/orders", "sort=number&", "a fraction for an order number", () => cursor("number", 1.5, "1")],
    ["/app/orders", "sort=number&", "an order number past int", () => cursor("number", 1e20, "1")],
    ["/app/orders", "sort=number&", "a very long number", () => cursor("number", "9".repeat(200), "1")],
    ["/app/customers", "sort=net_sales&", "text for net sales", () => cursor("net_sales", "abc", "1")],
    ["/app/customers", "sort=net_sales&", "net sales past numeric", () => cursor("net_sales", "1e999999", "1")],
    ["/app/customers", "sort=net_sales&", "NaN net sales", () => cursor("net_sales", "NaN", "1")],
    ["/app/customers", "sort=net_sales&", "a number for net sales", () => cursor("net_sales", 12.5, "1")],
    ["/app/customers", "", "a value where newest has none", () => cursor("newest", "x", "1")],
    ["/app/customers", "", "an id past bigint", () => cursor("newest", null, BIGINT_PAST)],
    ["/app/products", "", "a title with NUL", () => cursor("title", "a\u0000b", "1")],
    ["/app/products", "", "null for the title", () => cursor("title", null, "1")],
    ["/app/products", "", "a number for the title", () => cursor("title", 5, "1")],
    ["/app/products", "sort=newest&", "an id past bigint", () => cursor("newest", null, "99999999999999999999")],
  ])("%s %s: %s is refused", (path, sort, _what, value) =>
    // Signed when the test runs: the shop is installed by then.
    expectRefused(path, `${sort}after=${value()}`, "after", BAD_LINK),
  );

  it("still follows the cursors the app writes", async () => {
    const data = await (await dataRequest("/app/orders", "")).text();
    expect(data).toContain("nextCursor");
    const first = await prisma.order.findFirstOrThrow({
      where: { shop: { domain: shop } },
      orderBy: { processedAt: "desc" },
    });
    await expectAnswered(
      "/app/orders",
      `before=${cursor("date", first.processedAt.toISOString(), first.id.toString())}`,
    );
    await expectAnswered("/app/customers", `sort=net_sales&after=${cursor("net_sales", "10.0000", "1")}`);
    await expectAnswered("/app/products", `after=${cursor("title", "m", "1")}`);
    // After a product whose title is as long as Shopify allows (255 characters), in Japanese.
    const longTitle = encodeURIComponent(encodeCursor(shop, "title", { value: "あ".repeat(255), id: "1" }));
    await expectAnswered("/app/products", `after=${longTitle}`);
  });

  it("continues after an order without a number where such orders sort: last", async () => {
    const after = encodeCursor(shop, "number", { value: null, id: "1" });
    const ascending = await orderList(shop, new URLSearchParams({ sort: "number", direction: "asc", after }));
    const stored = await prisma.order.count({ where: { shop: { domain: shop }, orderNumber: null } });
    expect(ascending.rows).toHaveLength(stored);
  });
});

describe("ids", () => {
  it.each([
    ["9223372036854775808"],
    ["9999999999999999999"],
    ["99999999999999999999"],
    ["-1"],
    ["1e5"],
    ["%D9%A1%D9%A2%D9%A3"],
    ["1%00"],
    ["%FF"],
    ["0x10"],
  ])("/app/{orders,customers,products}/%s is a 404 page", async (id) => {
    for (const path of ["orders", "customers", "products"]) {
      const data = await dataRequest(`/app/${path}/${id}`);
      expect(data.status, `${path} data`).toBe(404);
      const page = await pageLoad(`/app/${path}/${id}`);
      expect(page.status, `${path} page`).toBe(404);
      expect(await page.text()).toContain("not found");
    }
  });

  it("answers the largest bigint, which no record has, with a 404 page", async () => {
    for (const path of ["orders", "customers", "products"]) {
      expect((await pageLoad(`/app/${path}/9223372036854775807`)).status).toBe(404);
    }
  });
});

describe("other parameters", () => {
  it.each([
    ["/app/orders", "q=%231%00", "q", /control characters/],
    ["/app/orders", "financial_status=%FF", "financial_status", /Invalid financial_status/],
    ["/app/orders", "sort=%00", "sort", /Invalid sort/],
    ["/app/orders", "sort=date&sort=number", "sort", /appears 2 times/],
    ["/app/orders", "q=x{5000}", "q", /at most 100 characters/],
    ["/app/orders", "after=x{5000}", "after", /Invalid after/],
    ["/app/customers", "q=a%00", "q", /control characters/],
    ["/app/customers", "q=a&q=b", "q", /appears 2 times/],
    ["/app/products", "tag=%00", "tag", /control characters/],
    ["/app/products", "product_type=a%1Fb", "product_type", /control characters/],
    ["/app", "range=%00", "range", /not a date range/],
    ["/app", "range=x{5000}", "range", /not a date range/],
    ["/app", "compare=none&compare=none", "compare", /appears 2 times/],
    ["/app/inventory", "page=99999999999999999999", "page", /whole number/],
    ["/app/inventory", "page=-1", "page", /whole number/],
    ["/app/inventory", "page=1e5", "page", /whole number/],
    ["/app/inventory", "page=%D9%A1", "page", /whole number/],
    ["/app/inventory", "view=%00", "view", /not an inventory view/],
    ["/app/inventory", "sort=x{5000}", "sort", /can be sorted by/],
  ])("%s?%s is refused naming %s", (path, query, field, reason) => expectRefused(path, query, field, reason));

  it.each([
    ["/app/orders", "q=%FF"],
    ["/app/orders", "q=%F0%9F%A7%BE"],
    ["/app/customers", "q=%FF%FE"],
    ["/app/products", "q=%ED%A0%80"],
    ["/app/orders", "unknown=%00&shop=other.myshopify.com"],
  ])("%s?%s is answered", (path, query) => expectAnswered(path, query));

  it("bounds the value a refusal repeats", async () => {
    const body = await (await dataRequest("/app", "range=x{5000}")).text();
    expect(body.length).toBeLessThan(2000);
  });
});

describe("forms", () => {
  const post = (path: string, body: BodyInit | null, contentType?: string) =>
    fetch(`${app.url}${path}`, {
      method: "POST",
      headers: { ...bearerHeaders(shop), ...(contentType ? { "content-type": contentType } : {}) },
      body,
    });

  it.each([
    ["99999999999999999999"],
    ["2147483648"],
    ["100001"],
    ["-1"],
    ["1e3"],
    ["12.5"],
    ["ten"],
    ["%00"],
    [""],
    ["1&threshold=2"],
  ])("refuses the low-stock threshold %j, keeping the one stored", async (threshold) => {
    const before = await prisma.shop.findFirstOrThrow({ where: { domain: shop } });
    const response = await post(
      "/app/inventory.data?index",
      `threshold=${threshold}`,
      "application/x-www-form-urlencoded",
    );
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/threshold/);
    expect((await prisma.shop.findFirstOrThrow({ where: { domain: shop } })).lowStockThreshold).toBe(
      before.lowStockThreshold,
    );
  });

  it.each([
    ["/app/inventory.data?index", '{"threshold": 3}', "application/json"],
    ["/app/inventory.data?index", "threshold=3", "text/plain"],
    ["/app/inventory.data?index", null, undefined],
    ["/app/inventory.data?index", "--x\r\nbroken", "multipart/form-data; boundary=x"],
    ["/app/sync", '{"intent": "sync"}', "application/json"],
    ["/app/sync", null, undefined],
    ["/app/sync", "--x\r\nbroken", "multipart/form-data; boundary=x"],
  ])("answers a POST to %s of %j (%s) with a 400, changing nothing", async (path, body, contentType) => {
    const [runs, before] = await Promise.all([
      prisma.syncRun.count(),
      prisma.shop.findFirstOrThrow({ where: { domain: shop } }),
    ]);
    const response = await post(path, body, contentType);
    expect(response.status).toBe(400);
    expect(await response.text()).not.toMatch(STACK_TRACE);
    expect(await prisma.syncRun.count()).toBe(runs);
    expect((await prisma.shop.findFirstOrThrow({ where: { domain: shop } })).lowStockThreshold).toBe(
      before.lowStockThreshold,
    );
  });

  it("answers an unknown sync intent with a 400, and the history page's POST with a 405", async () => {
    const response = await post("/app/sync", "intent=resync&intent=sync", "application/x-www-form-urlencoded");
    expect(response.status).toBe(400);
    expect((await post("/app/syncs", "intent=sync", "application/x-www-form-urlencoded")).status).toBe(405);
  });
});
