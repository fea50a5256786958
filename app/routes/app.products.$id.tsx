import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useLocation } from "@remix-run/react";
import { authenticateAdmin } from "../web/admin-request.server.ts";
import { syncStatus } from "../insights/syncs.server.ts";
import { orBadRequest } from "../web/bad-request.server.ts";
import { productDetail } from "../insights/products.server.ts";
import { orNotFound } from "../web/report-loader.server.ts";
import { NotFoundPage } from "../components/DetailPage.tsx";
import { ProductDetailPage } from "../components/ProductsPage.tsx";
import { ReportRoute } from "../components/ReportRoute.tsx";
import { useReloading } from "../components/useReloading.ts";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  return orNotFound(
    () =>
      orBadRequest(request, async () => {
        const [product, sync] = await Promise.all([
          productDetail(session.shop, params.id ?? "", new URL(request.url).searchParams),
          syncStatus(session.shop),
        ]);
        return { product, sync };
      }),
    { product: null, sync: null },
  );
};

export default function Product() {
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  const loading = useReloading();
  const title = "error" in data ? "Product" : data.product ? data.product.title : "Product not found";
  return (
    <ReportRoute title={title} data={data} reset={{ url: location.pathname, label: "Show the last 30 days" }}>
      {({ product, sync }) =>
        product ? (
          <ProductDetailPage product={product} sync={sync ?? undefined} loading={loading} />
        ) : (
          <NotFoundPage what="Product" backUrl="/app/products" backLabel="Products" />
        )
      }
    </ReportRoute>
  );
}
