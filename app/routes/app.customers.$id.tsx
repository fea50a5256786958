import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { customerDetail } from "../insights/customers.server";
import { NotFoundError } from "../insights/lists.server";
import { CustomerDetailPage } from "../components/CustomersPage";
import { NotFoundPage } from "../components/OrderDetailPage";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  try {
    return { customer: await customerDetail(session.shop, params.id ?? "") };
  } catch (error) {
    if (error instanceof NotFoundError) return json({ customer: null }, { status: 404 });
    throw error;
  }
};

export default function Customer() {
  const { customer } = useLoaderData<typeof loader>();
  return (
    <>
      <TitleBar title={customer ? "Customer" : "Customer not found"} />
      {customer ? (
        <CustomerDetailPage customer={customer} />
      ) : (
        <NotFoundPage what="Customer" backUrl="/app/customers" backLabel="Customers" />
      )}
    </>
  );
}
