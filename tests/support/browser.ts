import { existsSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { projectRoot } from "../../scripts/lib/database.ts";

// Browser tests drive Debian's Chromium (or CHROMIUM_PATH) through playwright-core. Without one they
// are skipped with one line saying so, except in CI (CI=true), where they fail: `.ci/run` installs it,
// and a run that cannot drive a browser must not pass as if it had.

/** The Chromium to drive, or null when this machine has none. */
export function chromiumPath(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser"];
  return candidates.find((candidate): candidate is string => Boolean(candidate && existsSync(candidate))) ?? null;
}

export const missingChromiumLine =
  "browser tests skipped: no Chromium here (install Debian's chromium package or set CHROMIUM_PATH)";

/** CI's environment (CI=true, as `.ci/run` sets it). */
export const inCi = ["true", "1"].includes(process.env.CI?.toLowerCase() ?? "");

/** Why the browser tests fail in CI without a Chromium. */
export const missingChromiumInCi =
  "no Chromium, and CI=true: CI must run the browser tests (install Debian's chromium package or set CHROMIUM_PATH)";

/**
 * Whether the browser tests are run here: when a Chromium is found, and always in CI, where
 * `launchChromium` then fails them. Elsewhere, without one, prints the line saying they are skipped.
 */
export function browserTestsRun(): boolean {
  if (chromiumPath() || inCi) return true;
  console.warn(missingChromiumLine);
  return false;
}

/** A port nothing listens on now. */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Chromium, headless; throws when this machine has none (CI without a browser). */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error(missingChromiumInCi);
  const { chromium } = await import("playwright-core");
  return chromium.launch({ executablePath, args: ["--no-sandbox"] });
}

/** Screenshots of browser tests go here (git-ignored). */
export const screenshotDir = path.join(projectRoot, "test-results", "screenshots");

/**
 * A merchant's browser: a desktop Chrome's user agent (Shopify's library answers headless and bot
 * agents with 410), every request and console error recorded.
 */
export async function merchantContext(
  browser: Browser,
  viewport = { width: 1280, height: 900 },
): Promise<{ context: BrowserContext; requests: URL[]; errors: string[]; page: Page }> {
  const probe = await browser.newPage();
  const userAgent = (await probe.evaluate(() => navigator.userAgent)).replace("HeadlessChrome", "Chrome");
  await probe.close();
  const context = await browser.newContext({ userAgent, viewport });
  const requests: URL[] = [];
  const errors: string[] = [];
  context.on("request", (request) => requests.push(new URL(request.url())));
  const page = await context.newPage();
  context.on("page", (p) => watchErrors(p, errors));
  watchErrors(page, errors);
  return { context, requests, errors, page };
}

function watchErrors(page: Page, errors: string[]): void {
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  page.on("pageerror", (error) => errors.push(`page: ${error.message}`));
}

/** Requests to anything but this machine. */
export const leftMachine = (requests: URL[]) =>
  requests.filter(
    (url) =>
      !["data:", "blob:", "about:"].includes(url.protocol) &&
      !["localhost", "127.0.0.1", "[::1]"].includes(url.hostname),
  );
