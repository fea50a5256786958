import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticateAdmin } from "../web/admin-request.server.ts";
import { syncStatus } from "../insights/syncs.server.ts";
import { orderDetail } from "../insights/orders.server.ts";
import { orNotFound } from "../web/report-loader.server.ts";
import { OrderDetailPage } from "../components/OrderDetailPage.tsx";
import { NotFoundPage } from "../components/DetailPage.tsx";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  return orNotFound(
    async () => {
      const [order, sync] = await Promise.all([orderDetail(session.shop, params.id ?? ""), syncStatus(session.shop)]);
      return { order, sync };
    },
    { order: null, sync: null },
  );
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
