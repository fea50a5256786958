import { Box, DataTable, SkeletonBodyText, Text, Tooltip } from "@shopify/polaris";
import type { SalesFigures, ShopInfo } from "../insights/types.ts";
import { TableCard } from "./HeadedCard.tsx";
import { FIGURES, type FigureKey } from "./definitions.ts";
import { formatDeduction, formatMoney } from "./format.ts";

export interface SalesBreakdownCardProps {
  shop: ShopInfo;
  current: SalesFigures;
  previous: SalesFigures | null;
  /** Column headings: the period and the comparison period, e.g. "Feb 14 – Mar 15, 2026". */
  rangeLabel: string;
  compareLabel: string | null;
  loading?: boolean;
}

const ROWS: { key: FigureKey & keyof SalesFigures; deduction?: boolean; total?: boolean }[] = [
  { key: "grossSales" },
  { key: "discounts", deduction: true },
  { key: "returns", deduction: true },
  { key: "netSales", total: true },
  { key: "shipping" },
  { key: "taxes" },
  { key: "totalSales", total: true },
];

/** Total sales broken down as Shopify's sales report does: discounts and returns shown negative. */
export function SalesBreakdownCard({
  shop,
  current,
  previous,
  rangeLabel,
  compareLabel,
  loading,
}: SalesBreakdownCardProps) {
  const money = (figures: SalesFigures, row: (typeof ROWS)[number]) => {
    const amount = figures[row.key] as string;
    return row.deduction ? formatDeduction(amount, shop) : formatMoney(amount, shop);
  };
  const strong = (text: string, total?: boolean) =>
    total ? (
      <Text as="span" fontWeight="semibold">
        {text}
      </Text>
    ) : (
      text
    );
  const rows = ROWS.map((row) => [
    <Tooltip key={row.key} content={FIGURES[row.key].definition} hasUnderline width="wide">
      {strong(FIGURES[row.key].label, row.total)}
    </Tooltip>,
    strong(money(current, row), row.total),
    ...(previous ? [strong(money(previous, row), row.total)] : []),
  ]);

  return (
    <TableCard title="Total sales breakdown">
      {loading ? (
        <Box paddingBlockEnd="400" paddingInline="400">
          <SkeletonBodyText lines={7} />
        </Box>
      ) : (
        <DataTable
          columnContentTypes={previous ? ["text", "numeric", "numeric"] : ["text", "numeric"]}
          headings={previous && compareLabel ? ["", rangeLabel, compareLabel] : ["", rangeLabel]}
          rows={rows}
          increasedTableDensity
        />
      )}
    </TableCard>
  );
}
