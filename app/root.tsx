import {
  isRouteErrorResponse,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useRouteError,
} from "@remix-run/react";
import { env } from "./lib/env.server.ts";

// Offline runs (the demo: App Bridge from APP_BRIDGE_URL) load nothing from Shopify's CDN, so the
// Inter font falls back to the system's.
export const loader = () => ({ offline: Boolean(env().APP_BRIDGE_URL) });

export const links = () => [{ rel: "icon", href: "/favicon.svg", type: "image/svg+xml" }];

// Inside admin the title bar names the page; the document's own title is the app's name.
export const meta = () => [{ title: "Store Insights" }];

export default function App() {
  const { offline } = useLoaderData<typeof loader>();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        {offline ? null : (
          <>
            <link rel="preconnect" href="https://cdn.shopify.com/" />
            <link rel="stylesheet" href="https://cdn.shopify.com/static/fonts/inter/v4/styles.css" />
          </>
        )}
        <Meta />
        <Links />
      </head>
      <body>
        <Outlet />
        <ScrollRestoration />
        <Scripts />
      </body>
    </html>
  );
}

// Outside /app (an unknown URL, say): a plain page. Remix's default would print the error free-form
// to stderr; the server has already logged it as a JSON line (entry.server's handleError).
export function ErrorBoundary() {
  const error = useRouteError();
  const title = isRouteErrorResponse(error) ? `${error.status} ${error.statusText}` : "Something went wrong";
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <title>{title}</title>
        <Meta />
        <Links />
      </head>
      <body>
        <h1>{title}</h1>
        <Scripts />
      </body>
    </html>
  );
}
