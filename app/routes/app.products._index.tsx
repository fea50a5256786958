import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticateAdmin } from "../web/admin-request.server.ts";
import { syncStatus } from "../insights/syncs.server.ts";
import { orBadRequest } from "../web/bad-request.server.ts";
import { productList } from "../insights/products.server.ts";
import { InsightsErrorBanner } from "../components/InsightsErrorBanner.tsx";
import { ProductsPage } from "../components/ProductsPage.tsx";
import { useReloading } from "../components/useReloading.ts";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const [report, sync] = await Promise.all([
    orBadRequest(request, () => productList(session.shop, new URL(request.url).searchParams)),
    syncStatus(session.shop),
  ]);
  return report instanceof Response ? report : { ...report, sync };
};

export default function Products() {
  const data = useLoaderData<typeof loader>();
  const loading = useReloading();
  return (
    <>
      <TitleBar title="Products" />
      {"error" in data ? (
        <Page>
          <InsightsErrorBanner error={data.error} resetUrl="/app/products" resetLabel="Show all products" />
        </Page>
      ) : (
        <ProductsPage report={data} sync={data.sync} loading={loading} />
      )}
    </>
  );
}
