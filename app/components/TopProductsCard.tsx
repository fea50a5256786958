import { useState } from "react";
import { Box, DataTable, SkeletonBodyText, Tabs, Text } from "@shopify/polaris";
import type { ProductRank, ShopInfo } from "../insights/types.ts";
import { TableCard } from "./HeadedCard.tsx";
import { formatCount, formatMoney } from "./format.ts";

export interface TopProductsCardProps {
  shop: ShopInfo;
  byNetSales: ProductRank[];
  byUnits: ProductRank[];
  loading?: boolean;
}

const TABS = [
  { id: "top-products-net-sales", content: "By net sales", panelID: "top-products-net-sales-panel" },
  { id: "top-products-units", content: "By units", panelID: "top-products-units-panel" },
];

/** The period's best-selling products, ranked by net sales or by net units. */
export function TopProductsCard({ shop, byNetSales, byUnits, loading }: TopProductsCardProps) {
  const [selected, setSelected] = useState(0);
  const products = selected === 0 ? byNetSales : byUnits;
  return (
    <TableCard title="Top products">
      <Tabs tabs={TABS} selected={selected} onSelect={setSelected} fitted>
        <div id={TABS[selected].panelID} role="tabpanel" aria-labelledby={TABS[selected].id}>
          {loading ? (
            <Box padding="400">
              <SkeletonBodyText lines={6} />
            </Box>
          ) : products.length === 0 ? (
            <Box padding="400">
              <Text as="p" tone="subdued">
                No products were sold in this period.
              </Text>
            </Box>
          ) : (
            <DataTable
              columnContentTypes={["text", "numeric", "numeric"]}
              headings={["Product", "Net sales", "Net units"]}
              rows={products.map((p) => [p.title, formatMoney(p.netSales, shop), formatCount(p.netUnits, shop.locale)])}
              increasedTableDensity
              truncate
            />
          )}
        </div>
      </Tabs>
    </TableCard>
  );
}
