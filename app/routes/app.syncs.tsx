import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticateAdmin } from "../web/admin-request.server.ts";
import { syncHistory } from "../insights/syncs.server.ts";
import { SyncHistoryPage } from "../components/SyncHistoryPage.tsx";

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
