import type { LoaderFunctionArgs } from "@remix-run/node";
import { useEffect } from "react";
import { useLoaderData, useLocation, useRevalidator, useSearchParams } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticateAdmin } from "../web/admin-request.server.ts";
import { orBadRequest } from "../web/bad-request.server.ts";
import { overviewReport } from "../insights/overview.server.ts";
import { syncStatus } from "../insights/syncs.server.ts";
import { withDefaultRange } from "../insights/range.ts";
import { InsightsErrorBanner } from "../components/InsightsErrorBanner.tsx";
import { OverviewPage } from "../components/OverviewPage.tsx";
import { useReloading } from "../components/useReloading.ts";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  const [report, sync] = await Promise.all([
    orBadRequest(request, () => overviewReport(session.shop, new URL(request.url).searchParams)),
    syncStatus(session.shop),
  ]);
  return report instanceof Response ? report : { ...report, sync };
};

export default function Overview() {
  const data = useLoaderData<typeof loader>();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  const loading = useReloading();
  const { revalidate, state } = useRevalidator();
  // A shop never synced is about to be: its install queues the first import, perhaps in another
  // request still in flight (another instance of the app may be answering it).
  const importing = !("error" in data) && (data.state === "importing" || data.sync.latest === null);
  // While the first import runs (or is about to), its progress is read again every two seconds; the
  // figures replace it once the import has finished.
  useEffect(() => {
    if (!importing || state !== "idle") return;
    const timer = setTimeout(revalidate, 2000);
    return () => clearTimeout(timer);
  }, [importing, state, revalidate, data]);

  return (
    <>
      <TitleBar title="Overview" />
      {"error" in data ? (
        <Page>
          <InsightsErrorBanner
            error={data.error}
            resetUrl={`${location.pathname}?${withDefaultRange(searchParams)}`}
            resetLabel="Show the last 30 days"
          />
        </Page>
      ) : (
        <OverviewPage report={data} sync={data.sync} loading={loading} />
      )}
    </>
  );
}
