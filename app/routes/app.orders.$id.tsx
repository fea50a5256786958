import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticateAdmin } from "../lib/admin-request.server.ts";
import { syncStatus } from "../insights/syncs.server.ts";
import { NotFoundError } from "../insights/errors.ts";
import { orderDetail } from "../insights/orders.server.ts";
import { OrderDetailPage } from "../components/OrderDetailPage.tsx";
import { NotFoundPage } from "../components/DetailPage.tsx";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  try {
    const [order, sync] = await Promise.all([orderDetail(session.shop, params.id ?? ""), syncStatus(session.shop)]);
    return { order, sync };
  } catch (error) {
    if (error instanceof NotFoundError) return json({ order: null, sync: null }, { status: 404 });
    throw error;
  }
};

export default function Order() {
  const { order, sync } = useLoaderData<typeof loader>();
  return (
    <>
      <TitleBar title={order ? order.name : "Order not found"} />
      {order ? (
        <OrderDetailPage order={order} sync={sync ?? undefined} />
      ) : (
        <NotFoundPage what="Order" backUrl="/app/orders" backLabel="Orders" />
      )}
    </>
  );
}
