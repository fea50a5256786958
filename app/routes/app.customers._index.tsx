import { useLoaderData } from "@remix-run/react";
import { customerList } from "../insights/customers.server.ts";
import { reportLoader } from "../web/report-loader.server.ts";
import { CustomersPage } from "../components/CustomersPage.tsx";
import { ReportRoute } from "../components/ReportRoute.tsx";
import { useReloading } from "../components/useReloading.ts";

export const loader = reportLoader(customerList);

export default function Customers() {
  const data = useLoaderData<typeof loader>();
  const loading = useReloading();
  return (
    <ReportRoute title="Customers" data={data} reset={{ url: "/app/customers", label: "Show all customers" }}>
      {(report) => <CustomersPage report={report} sync={report.sync} loading={loading} />}
    </ReportRoute>
  );
}
