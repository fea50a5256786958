import type { ActionFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useLocation, useSearchParams } from "@remix-run/react";
import { authenticateAdmin } from "../web/admin-request.server.ts";
import { readForm } from "../web/bad-request.server.ts";
import { InsightsInputError } from "../insights/errors.ts";
import { inventoryReport, setLowStockThreshold } from "../insights/inventory.server.ts";
import { withDefaultInventoryQuery } from "../insights/inventory-query.ts";
import { reportLoader } from "../web/report-loader.server.ts";
import { InventoryPage, type ThresholdActionData } from "../components/InventoryPage.tsx";
import { ReportRoute } from "../components/ReportRoute.tsx";
import { useReloading } from "../components/useReloading.ts";

export const loader = reportLoader(inventoryReport);

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
    <ReportRoute
      title="Inventory"
      data={data}
      reset={{ url: `${location.pathname}?${withDefaultInventoryQuery(searchParams)}`, label: "Show all inventory" }}
    >
      {(report) => <InventoryPage report={report} sync={report.sync} loading={loading} />}
    </ReportRoute>
  );
}
