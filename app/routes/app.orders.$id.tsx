import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { NotFoundError, orderDetail } from "../insights/orders.server";
import { NotFoundPage, OrderDetailPage } from "../components/OrderDetailPage";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  try {
    return { order: await orderDetail(session.shop, params.id ?? "") };
  } catch (error) {
    if (error instanceof NotFoundError) return json({ order: null }, { status: 404 });
    throw error;
  }
};

export default function Order() {
  const { order } = useLoaderData<typeof loader>();
  return (
    <>
      <TitleBar title={order ? order.name : "Order not found"} />
      {order ? (
        <OrderDetailPage order={order} />
      ) : (
        <NotFoundPage what="Order" backUrl="/app/orders" backLabel="Orders" />
      )}
    </>
  );
}
