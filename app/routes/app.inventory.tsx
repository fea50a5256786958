import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticateAdmin } from "../lib/admin-request.server.ts";
import { orBadRequest, readForm } from "../lib/bad-request.server.ts";
import { InsightsInputError } from "../insights/errors.ts";
import { inventoryReport, setLowStockThreshold } from "../insights/inventory.server.ts";
import { syncStatus } from "../insights/syncs.server.ts";
import { withDefaultInventoryQuery } from "../insights/inventory-query.ts";
import { InsightsErrorBanner } from "../components/InsightsErrorBanner.tsx";
import { InventoryPage, type ThresholdActionData } from "../components/InventoryPage.tsx";
import { useReloading } from "../components/useReloading.ts";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const [report, sync] = await Promise.all([
    orBadRequest(request, () => inventoryReport(session.shop, new URL(request.url).searchParams)),
    syncStatus(session.shop),
  ]);
  return report instanceof Response ? report : { ...report, sync };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  try {
    const form = await readForm(request);
    if (form.getAll("threshold").length > 1) {
      throw new InsightsInputError("threshold", "Send one low-stock threshold.");
    }
    const threshold = await setLowStockThreshold(session.shop, form.get("threshold"));
    return json<ThresholdActionData>({ ok: true, threshold });
  } catch (error) {
    if (error instanceof InsightsInputError) {
      return json<ThresholdActionData>(
        { ok: false, error: { field: error.field, message: error.message } },
        { status: 400 },
      );
    }
    throw error;
  }
};

export default function Inventory() {
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const loading = useReloading();

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
        <InventoryPage report={data} sync={data.sync} loading={loading} />
      )}
    </>
  );
}
