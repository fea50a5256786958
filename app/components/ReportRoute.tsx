import type { ReactNode } from "react";
import { Page } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { InsightsErrorBanner, type InsightsError } from "./InsightsErrorBanner.tsx";

/** What a loader returns for an address whose parameters it refused. */
type Refused = { error: InsightsError };

/**
 * A report page's body in its route: the admin's title bar, then the page for the loader's report,
 * or, for an address whose parameters were refused, the reason and a way back to the defaults.
 */
export function ReportRoute<Data extends object>({
  title,
  data,
  reset,
  children,
}: {
  title: string;
  /** What the loader returned: the report, or the reason it was refused (`{ error }`). */
  data: Data;
  /** Where the banner's action goes: the page with its default parameters. */
  reset: { url: string; label: string };
  children: (report: Exclude<Data, Refused>) => ReactNode;
}) {
  return (
    <>
      <TitleBar title={title} />
      {"error" in data ? (
        <Page>
          <InsightsErrorBanner error={(data as Refused).error} resetUrl={reset.url} resetLabel={reset.label} />
        </Page>
      ) : (
        children(data as Exclude<Data, Refused>)
      )}
    </>
  );
}
