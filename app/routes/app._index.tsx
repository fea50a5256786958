import { useEffect } from "react";
import { useLoaderData, useLocation, useRevalidator, useSearchParams } from "@remix-run/react";
import { overviewReport } from "../insights/overview.server.ts";
import { withDefaultRange } from "../insights/range.ts";
import { reportLoader } from "../web/report-loader.server.ts";
import { OverviewPage } from "../components/OverviewPage.tsx";
import { ReportRoute } from "../components/ReportRoute.tsx";
import { useReloading } from "../components/useReloading.ts";

export const loader = reportLoader(overviewReport);

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
    <ReportRoute
      title="Overview"
      data={data}
      reset={{ url: `${location.pathname}?${withDefaultRange(searchParams)}`, label: "Show the last 30 days" }}
    >
      {(report) => <OverviewPage report={report} sync={report.sync} loading={loading} />}
    </ReportRoute>
  );
}
