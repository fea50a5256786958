import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticateAdmin } from "../lib/admin-request.server";
import { syncHistory } from "../insights/syncs.server";
import { SyncHistoryPage } from "../components/SyncHistoryPage";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  return syncHistory(session.shop);
};

export default function Syncs() {
  const report = useLoaderData<typeof loader>();
  return (
    <>
      <TitleBar title="Syncs" />
      <SyncHistoryPage report={report} />
    </>
  );
}
