import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { InsightsInputError } from "../insights/overview.server";
import { inventoryReport, setLowStockThreshold } from "../insights/inventory.server";
import { parseLowStockThreshold, withDefaultInventoryQuery } from "../insights/range";
import { InsightsErrorBanner } from "../components/InsightsErrorBanner";
import { InventoryPage, type ThresholdActionData } from "../components/InventoryPage";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  try {
    return await inventoryReport(session.shop, new URL(request.url).searchParams);
  } catch (error) {
    if (error instanceof InsightsInputError) {
      return json({ error: { field: error.field, message: error.message } }, { status: 400 });
    }
    throw error;
  }
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const form = await request.formData();
  const threshold = parseLowStockThreshold(form.get("threshold"));
  if (!threshold.ok) {
    return json<ThresholdActionData>(
      { ok: false, error: { field: threshold.field, message: threshold.message } },
      { status: 400 },
    );
  }
  try {
    await setLowStockThreshold(session.shop, threshold.value);
  } catch (error) {
    if (error instanceof InsightsInputError) {
      return json<ThresholdActionData>(
        { ok: false, error: { field: error.field, message: error.message } },
        { status: 400 },
      );
    }
    throw error;
  }
  return json<ThresholdActionData>({ ok: true, threshold: threshold.value });
};

export default function Inventory() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const loading = navigation.state === "loading" && navigation.location.pathname === location.pathname;

  return (
    <>
      <TitleBar title="Inventory" />
      {"error" in data ? (
        <Page>
          <InsightsErrorBanner
            error={data.error}
            resetUrl={`${location.pathname}?${withDefaultInventoryQuery(searchParams)}`}
            resetLabel="Show all inventory"
          />
        </Page>
      ) : (
        <InventoryPage report={data} loading={loading} />
      )}
    </>
  );
}
