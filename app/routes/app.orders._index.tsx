import { useLoaderData } from "@remix-run/react";
import { orderList } from "../insights/orders.server.ts";
import { reportLoader } from "../web/report-loader.server.ts";
import { OrdersPage } from "../components/OrdersPage.tsx";
import { ReportRoute } from "../components/ReportRoute.tsx";
import { useReloading } from "../components/useReloading.ts";

export const loader = reportLoader(orderList);

export default function Orders() {
  const data = useLoaderData<typeof loader>();
  const loading = useReloading();
  return (
    <ReportRoute title="Orders" data={data} reset={{ url: "/app/orders", label: "Show all orders" }}>
      {(report) => <OrdersPage report={report} sync={report.sync} loading={loading} />}
    </ReportRoute>
  );
}
