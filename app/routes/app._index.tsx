import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData, useLocation, useNavigation, useSearchParams } from "@remix-run/react";
import { Page } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { InsightsInputError, overviewReport } from "../insights/overview.server";
import { withDefaultRange } from "../insights/range";
import { InsightsErrorBanner } from "../components/InsightsErrorBanner";
import { OverviewPage } from "../components/OverviewPage";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  try {
    return await overviewReport(session.shop, new URL(request.url).searchParams);
  } catch (error) {
    if (error instanceof InsightsInputError) {
      return json({ error: { field: error.field, message: error.message } }, { status: 400 });
    }
    throw error;
  }
};

export default function Overview() {
  const data = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const location = useLocation();
  const [searchParams] = useSearchParams();
  // Only a reload of this page (a new range) dims it; leaving for another page does not.
  const loading = navigation.state === "loading" && navigation.location.pathname === location.pathname;

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
        <OverviewPage report={data} loading={loading} />
      )}
    </>
  );
}
