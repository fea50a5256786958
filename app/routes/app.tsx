import type { HeadersFunction, LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useNavigation, useRouteError } from "@remix-run/react";
import { boundary } from "@shopify/shopify-app-remix/server";
import { AppProvider } from "@shopify/shopify-app-remix/react";
import { NavMenu } from "@shopify/app-bridge-react";
import polarisStyles from "@shopify/polaris/build/esm/styles.css?url";
import { authenticateAdmin } from "../web/admin-request.server.ts";
import { env } from "../lib/env.server.ts";
import { InsightsSkeletonPage } from "../components/InsightsSkeletonPage.tsx";

export const links = () => [{ rel: "stylesheet", href: polarisStyles }];

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await authenticateAdmin(request);
  const config = env();
  return { apiKey: config.SHOPIFY_API_KEY, appBridgeUrl: config.APP_BRIDGE_URL };
};

export default function App() {
  const { apiKey, appBridgeUrl } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const location = useLocation();
  // Moving to another page of the app shows its skeleton at once; reloading the same page (a new date
  // range, another sort) is shown by that page itself.
  const switchingPage = navigation.state === "loading" && navigation.location.pathname !== location.pathname;

  return (
    <AppProvider isEmbeddedApp apiKey={apiKey} {...(appBridgeUrl ? { __APP_BRIDGE_URL: appBridgeUrl } : {})}>
      <NavMenu>
        <Link to="/app" rel="home">
          Overview
        </Link>
        <Link to="/app/orders">Orders</Link>
        <Link to="/app/customers">Customers</Link>
        <Link to="/app/products">Products</Link>
        <Link to="/app/inventory">Inventory</Link>
        <Link to="/app/syncs">Syncs</Link>
      </NavMenu>
      {switchingPage ? <InsightsSkeletonPage /> : <Outlet />}
    </AppProvider>
  );
}

// Shopify needs Remix to catch some thrown responses so that their headers are included.
export function ErrorBoundary() {
  return boundary.error(useRouteError());
}

export const headers: HeadersFunction = (headersArgs) => boundary.headers(headersArgs);
