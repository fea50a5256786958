import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, FrameLocator, Page } from "playwright-core";
import type { PrismaClient } from "@prisma/client";
import type * as RangeModule from "../../app/insights/range.ts";
import type { Simulator } from "../../simulator/index.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  browserTestsRun,
  freePort,
  launchChromium,
  leftMachine,
  merchantContext,
  screenshotDir,
} from "../support/browser.ts";
import { projectRoot } from "../../scripts/lib/database.ts";

// The app as a merchant meets it offline: the local Shopify admin (simulator/admin) frames it, the
// App Bridge stand-in supplies session tokens, and a real Chromium clicks through the first install,
// the overview against the simulator's truth, the date range, Sync now, an order, a webhook moving
// the figures and a bad URL. Nothing may leave the machine and no console error may be logged.
// Without a Chromium they are skipped with one line saying so, but fail in CI (CI=true).

const SHOP = {
  name: "browser",
  seed: 4242,
  products: 12,
  customers: 60,
  orders: 400,
  timezone: "America/New_York",
  currency: "USD",
};
const domain = "browser.myshopify.com";
const usd = (amount: string | number) =>
  new Intl.NumberFormat("en-US", { style: "currency", currency: "USD" }).format(Number(amount));

describe.runIf(browserTestsRun())("the app in the local Shopify admin", () => {
  let browser: Browser;
  let page: Page;
  let app: FrameLocator;
  let requests: URL[];
  let errors: string[];
  const closers: (() => Promise<unknown>)[] = [];
  // Loaded after the environment below is set: the app reads its configuration once.
  let sim: Simulator;
  let prisma: PrismaClient;
  let range: typeof RangeModule;

  const shot = (name: string) => page.screenshot({ path: path.join(screenshotDir, `${name}.png`) });
  /** The first money amount on the KPI card titled `title`. */
  const kpi = async (title: string) => {
    const card = app
      .getByRole("heading", { name: title, exact: true })
      .first()
      .locator("xpath=ancestor::*[contains(@class,'Polaris-ShadowBevel')][1]");
    const text = await card.innerText();
    return text
      .split("\n")
      .map((line) => line.trim())
      .find((line) => /^[$\d]/.test(line))!;
  };

  beforeAll(async () => {
    // First, so that CI without a Chromium fails at once.
    browser = await launchChromium();
    mkdirSync(screenshotDir, { recursive: true });
    const [appPort, shellPort] = [await freePort(), await freePort()];
    // The same site as the admin shell (localhost), as the demo runs: a cross-site frame gets no storage here.
    const appUrl = `http://localhost:${appPort}`;
    Object.assign(process.env, {
      SHOPIFY_APP_URL: appUrl,
      APP_BRIDGE_URL: `http://localhost:${shellPort}/app-bridge.js`,
      SYNC_WORKER: "in-app",
      SHOPIFY_DISTRIBUTION: "single_merchant",
    });
    const { startHarness } = await import("../support/ingest-harness.ts");
    const { startAppServer } = await import("../support/app-server.ts");
    const { startAdminShell } = await import("../../simulator/admin/shell.ts");
    const { webhookSubscriptions } = await import("../../scripts/lib/webhook-subscriptions.ts");
    prisma = (await import("../../app/db.server.ts")).default;
    range = await import("../../app/insights/range.ts");

    const h = await startHarness(prisma, [], { rateLimits: false });
    sim = h.sim;
    closers.push(() => h.close());
    await sim.addShop(SHOP);
    const control = `${sim.url}/_simulator/`;
    await fetch(`${control}apps/${process.env.SHOPIFY_API_KEY}/webhooks`, {
      method: "PUT",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ subscriptions: webhookSubscriptions(appUrl) }),
    });
    const server = await startAppServer(appPort);
    closers.unshift(() => server.close());
    const shell = await startAdminShell({
      port: shellPort,
      appUrl,
      appName: "Store Insights",
      appHandle: "store-insights",
      apiKey: process.env.SHOPIFY_API_KEY!,
      shop: domain,
      control,
    });
    closers.unshift(() => shell.close());
    // The first import is slowed, so the page is seen while it runs.
    sim.control.addFault({ kind: "slow", pathPrefix: "/admin/api", delayMs: 400, count: 6 });

    ({ page, requests, errors } = await merchantContext(browser));
    app = page.frameLocator("#app");
    await page.goto(shell.url);
  });

  afterAll(async () => {
    // The browser first, then the servers it was talking to.
    for (const close of [async () => browser?.close(), ...closers]) await close().catch(() => undefined);
    // The in-app sync worker the build started.
    const { entry } = (await import(path.join(projectRoot, "build/server/index.js"))) as {
      entry: { module: { shutdown(): Promise<void> } };
    };
    await entry.module.shutdown();
  });

  it("installs on the first visit and says so while the store imports, then shows the overview", async () => {
    await app.getByText("Importing your store…").first().waitFor({ timeout: 30_000 });
    await shot("importing");
    await app.getByText("Total sales", { exact: true }).first().waitFor({ timeout: 60_000 });
    expect(await page.locator("#title").innerText()).toBe("Store Insights › Overview");
    const nav = await page.locator("#app-nav a").allInnerTexts();
    expect(nav).toEqual(["Orders", "Customers", "Products", "Inventory", "Syncs"]);
    await shot("overview");
  });

  it("shows the simulator's total sales for the last 30 days", async () => {
    const today = range.todayIn(SHOP.timezone, new Date());
    const last30 = range.presetRange("last_30_days", today);
    const truth = sim.salesTruth(domain, last30);
    expect(await kpi("Total sales")).toBe(usd(truth.figures.totalSales));
    expect(await kpi("Orders")).toBe(String(truth.figures.orders));
  });

  it("changes the range from the picker: the URL and the figures follow", async () => {
    await page.waitForLoadState("networkidle");
    await app.getByRole("button", { name: "Last 30 days" }).click();
    await app.locator(".Polaris-Popover").getByText("Last 90 days", { exact: true }).click();
    await expect.poll(() => page.url()).toContain("range=last_90_days");
    const last90 = range.presetRange("last_90_days", range.todayIn(SHOP.timezone, new Date()));
    const truth = sim.salesTruth(domain, last90);
    await expect.poll(() => kpi("Total sales")).toBe(usd(truth.figures.totalSales));
    // The shell's URL opens the same view again.
    await page.reload();
    await expect.poll(() => kpi("Total sales"), { timeout: 20_000 }).toBe(usd(truth.figures.totalSales));
  });

  it("runs Sync now and shows it finish", async () => {
    const latest = () => prisma.syncRun.findFirstOrThrow({ orderBy: { id: "desc" } });
    // The import's run has ended, so the click queues a run of its own.
    await expect.poll(async () => (await latest()).status, { timeout: 30_000 }).toBe("succeeded");
    const previous = await latest();
    const runs = () => prisma.syncRun.findMany({ where: { id: { gt: previous.id } } });
    // Shopify answers slowly for a few requests, so the run stays in flight a while.
    sim.control.addFault({ kind: "slow", pathPrefix: "/admin/api", delayMs: 1000, count: 4 });
    // The statuses the new run's row goes through, read from the click on.
    const seen: string[] = [];
    const finish = (async () => {
      for (const deadline = Date.now() + 60_000; Date.now() < deadline;) {
        const [run, ...more] = await runs();
        expect(more).toEqual([]);
        if (run && seen.at(-1) !== run.status) seen.push(run.status);
        if (run && ["succeeded", "partial", "failed"].includes(run.status)) return run;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      throw new Error(`the run did not finish: ${seen.join(" → ")}`);
    })();
    await app.getByRole("button", { name: "Sync now" }).click();
    // Toasts stay five seconds: waited for in the page, not polled from here.
    await page.locator("#toasts").getByText("Sync queued", { exact: true }).waitFor({ timeout: 20_000 });
    await app.getByText("Sync of recent changes", { exact: true }).waitFor({ timeout: 20_000 });
    const finished = await finish;
    expect(finished).toMatchObject({ trigger: "manual", status: "succeeded" });
    expect(["queued", "running"]).toContain(seen[0]);
    expect(finished.finishedAt!.getTime()).toBeGreaterThan(previous.finishedAt!.getTime());
    // The card drops the run in flight and says when this one finished.
    const lastSynced = app.locator("p", { hasText: "Last synced" }).locator("time").first();
    await expect
      .poll(() => lastSynced.getAttribute("datetime"), { timeout: 15_000 })
      .toBe(finished.finishedAt!.toISOString());
    expect(await app.getByText("Sync of recent changes", { exact: true }).count()).toBe(0);
    await shot("synced");
  });

  it("opens Orders from admin's navigation, finds an order and opens it", async () => {
    await page.locator("#app-nav").getByRole("link", { name: "Orders" }).click();
    await expect.poll(() => page.url()).toContain("/apps/store-insights/app/orders");
    const name = (await prisma.order.findFirst({ orderBy: { id: "asc" }, select: { name: true } }))!.name!;
    await app.getByLabel("Search").fill(name);
    await app.getByLabel("Search").press("Enter");
    await app.getByRole("link", { name, exact: true }).first().click();
    await expect.poll(() => page.locator("#title").innerText()).toBe(`Store Insights › ${name}`);
    await shot("order");
  });

  it("sees an order created in the simulator arrive by webhook and move the figures", async () => {
    await page.goto(page.url().replace(/\/app\/orders.*$/, "/app?range=today"));
    const before = Number(await kpi("Orders"));
    await page.getByRole("button", { name: "Simulated store" }).click();
    await page.getByRole("button", { name: "Create an order" }).click();
    await expect.poll(() => page.locator("#panel-message").innerText()).toContain("created");
    await expect
      .poll(
        async () => {
          await page.reload();
          return Number(await kpi("Orders"));
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(before + 1);
    const truth = sim.salesTruth(domain, range.presetRange("today", range.todayIn(SHOP.timezone, new Date())));
    expect(await kpi("Total sales")).toBe(usd(truth.figures.totalSales));
    await shot("after-webhook");
  });

  it("explains an invalid range with a banner", async () => {
    await page.goto(page.url().replace(/\/app\?.*$/, "/app?range=custom&from=2026-05-10&to=2026-05-01"));
    await expect
      .poll(() => app.locator(".Polaris-Banner").first().innerText(), { timeout: 15_000 })
      .toMatch(/range|date/i);
    await shot("invalid-range");
  });

  it("shows inventory, and fits a phone's width without scrolling sideways", async () => {
    await page.locator("#app-nav").getByRole("link", { name: "Inventory" }).click();
    await app.getByRole("tab").first().waitFor();
    expect(await page.locator("#title").innerText()).toBe("Store Insights › Inventory");
    await shot("inventory");
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(page.url().replace(/\/app\/inventory.*$/, "/app"));
    await app.getByRole("heading", { name: "Total sales", exact: true }).first().waitFor();
    const frame = page.frames().find((f) => f.url().startsWith(process.env.SHOPIFY_APP_URL!))!;
    const overflow = await frame.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await shot("overview-phone");
  });

  it("sent nothing off this machine and logged no console error", () => {
    expect(leftMachine(requests).map(String)).toEqual([]);
    expect(errors.join("\n")).toBe("");
  });
});
