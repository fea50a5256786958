import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticateAdmin } from "../lib/admin-request.server.ts";
import { syncStatus } from "../insights/syncs.server.ts";
import { orBadRequest } from "../lib/bad-request.server.ts";
import { productDetail } from "../insights/products.server.ts";
import { NotFoundError } from "../insights/errors.ts";
import { InsightsErrorBanner } from "../components/InsightsErrorBanner.tsx";
import { NotFoundPage } from "../components/DetailPage.tsx";
import { ProductDetailPage } from "../components/ProductsPage.tsx";
import { useReloading } from "../components/useReloading.ts";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  try {
    return await orBadRequest(request, async () => {
      const [product, sync] = await Promise.all([
        productDetail(session.shop, params.id ?? "", new URL(request.url).searchParams),
        syncStatus(session.shop),
      ]);
      return { product, sync };
    });
  } catch (error) {
    if (error instanceof NotFoundError) return json({ product: null, sync: null }, { status: 404 });
    throw error;
  }
};

export default function Product() {
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  const loading = useReloading();
  if ("error" in data) {
    return (
      <>
        <TitleBar title="Product" />
        <Page>
          <InsightsErrorBanner error={data.error} resetUrl={location.pathname} resetLabel="Show the last 30 days" />
        </Page>
      </>
    );
  }
  const { product, sync } = data;
  return (
    <>
      <TitleBar title={product ? product.title : "Product not found"} />
      {product ? (
        <ProductDetailPage product={product} sync={sync ?? undefined} loading={loading} />
      ) : (
        <NotFoundPage what="Product" backUrl="/app/products" backLabel="Products" />
      )}
    </>
  );
}
