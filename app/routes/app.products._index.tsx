import { useLoaderData } from "@remix-run/react";
import { productList } from "../insights/products.server.ts";
import { reportLoader } from "../web/report-loader.server.ts";
import { ProductsPage } from "../components/ProductsPage.tsx";
import { ReportRoute } from "../components/ReportRoute.tsx";
import { useReloading } from "../components/useReloading.ts";

export const loader = reportLoader(productList);

export default function Products() {
  const data = useLoaderData<typeof loader>();
  const loading = useReloading();
  return (
    <ReportRoute title="Products" data={data} reset={{ url: "/app/products", label: "Show all products" }}>
      {(report) => <ProductsPage report={report} sync={report.sync} loading={loading} />}
    </ReportRoute>
  );
}
