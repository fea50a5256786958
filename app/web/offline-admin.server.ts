import { env } from "../lib/env.server.ts";

// Offline runs (the demo and the browser tests) frame the app in a local admin shell that also serves
// App Bridge (APP_BRIDGE_URL). Shopify's library names admin's origins in the document's
// frame-ancestors and preloads App Bridge from Shopify's CDN; offline, the shell's origin must be
// allowed to frame the app and nothing may be fetched from the CDN. Unset in production: no change.

/** Adjusts a document response's headers for the offline admin shell, when one is configured. */
export function adjustForOfflineAdmin(headers: Headers): void {
  const appBridgeUrl = env().APP_BRIDGE_URL;
  if (!appBridgeUrl) return;
  const shellOrigin = new URL(appBridgeUrl).origin;
  const policy = headers.get("Content-Security-Policy");
  const ancestors = policy?.match(/frame-ancestors ([^;]*)/);
  if (policy && ancestors && !ancestors[1].split(/\s+/).includes(shellOrigin)) {
    headers.set(
      "Content-Security-Policy",
      policy.replace(ancestors[0], `frame-ancestors ${ancestors[1].trim()} ${shellOrigin}`),
    );
  }
  const link = headers.get("Link");
  if (link?.includes("cdn.shopify.com")) headers.set("Link", `<${appBridgeUrl}>; rel="preload"; as="script";`);
}
