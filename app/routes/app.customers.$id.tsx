import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticateAdmin } from "../lib/admin-request.server.ts";
import { syncStatus } from "../insights/syncs.server.ts";
import { customerDetail } from "../insights/customers.server.ts";
import { NotFoundError } from "../insights/errors.ts";
import { CustomerDetailPage } from "../components/CustomersPage.tsx";
import { NotFoundPage } from "../components/DetailPage.tsx";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  try {
    const [customer, sync] = await Promise.all([
      customerDetail(session.shop, params.id ?? ""),
      syncStatus(session.shop),
    ]);
    return { customer, sync };
  } catch (error) {
    if (error instanceof NotFoundError) return json({ customer: null, sync: null }, { status: 404 });
    throw error;
  }
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
