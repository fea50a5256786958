import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticateAdmin } from "../web/admin-request.server.ts";
import { syncStatus } from "../insights/syncs.server.ts";
import { customerDetail } from "../insights/customers.server.ts";
import { orNotFound } from "../web/report-loader.server.ts";
import { CustomerDetailPage } from "../components/CustomersPage.tsx";
import { NotFoundPage } from "../components/DetailPage.tsx";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  return orNotFound(
    async () => {
      const [customer, sync] = await Promise.all([
        customerDetail(session.shop, params.id ?? ""),
        syncStatus(session.shop),
      ]);
      return { customer, sync };
    },
    { customer: null, sync: null },
  );
};

export default function Customer() {
  const { customer, sync } = useLoaderData<typeof loader>();
  return (
    <>
      <TitleBar title={customer ? "Customer" : "Customer not found"} />
      {customer ? (
        <CustomerDetailPage customer={customer} sync={sync ?? undefined} />
      ) : (
        <NotFoundPage what="Customer" backUrl="/app/customers" backLabel="Customers" />
      )}
    </>
  );
}
