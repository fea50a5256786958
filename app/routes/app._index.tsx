import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BlockStack, Card, EmptyState, Layout, Page, Text } from "@shopify/polaris";
import { TitleBar } from "@shopify/app-bridge-react";
import { authenticate } from "../shopify.server";
import { shopOverview } from "../insights/overview.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  return shopOverview(session.shop);
};

export default function Index() {
  const overview = useLoaderData<typeof loader>();
  const hasData = overview.orders + overview.products + overview.customers > 0;

  return (
    <Page>
      <TitleBar title="Store insights" />
      <BlockStack gap="500">
        <Text as="h1" variant="headingLg">
          {overview.shopName}
        </Text>
        <Layout>
          <Layout.Section>
            {hasData ? (
              <Card>
                <Text as="p">
                  {overview.orders} orders, {overview.products} products and {overview.customers} customers imported.
                </Text>
              </Card>
            ) : (
              <Card>
                <EmptyState heading="No data imported yet" image="">
                  <p>Your products, customers and orders appear here once the first import from Shopify has run.</p>
                </EmptyState>
              </Card>
            )}
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}
