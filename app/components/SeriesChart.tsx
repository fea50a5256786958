import { useId, useState } from "react";
import {
  BlockStack,
  Box,
  Button,
  Card,
  Collapsible,
  DataTable,
  InlineStack,
  SkeletonDisplayText,
  Text,
} from "@shopify/polaris";
import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { Granularity, SeriesPoint, ShopInfo } from "../insights/types.ts";
import { formatBucket, formatCompactMoney, formatCount, formatMoney, toNumber } from "./format.ts";

export type SeriesMetric = "totalSales" | "netSales" | "orders";

export interface SeriesChartProps {
  title: string;
  metric: SeriesMetric;
  /** Zero-filled buckets of the period, from the server. */
  series: SeriesPoint[];
  /** The comparison period's buckets, aligned with `series` by position; null without a comparison. */
  previousSeries: SeriesPoint[] | null;
  granularity: Granularity;
  shop: ShopInfo;
  /** "Feb 14 – Mar 15, 2026" and the comparison period's, for the legend and the table. */
  rangeLabel: string;
  compareLabel: string | null;
  /** The period's total, shown above the chart. */
  headline: string;
  loading?: boolean;
}

const CURRENT_COLOR = "#0b6fd4";
const PREVIOUS_COLOR = "#8a8a8a";
const CHART_HEIGHT = 240;

const GRANULARITY_NOUNS: Record<Granularity, string> = { hour: "Hour", day: "Day", week: "Week", month: "Month" };

interface ChartPoint {
  label: string;
  longLabel: string;
  previousLabel: string | null;
  current: number | null;
  previous: number | null;
  currentText: string;
  previousText: string;
}

/** The chart's points: the period's buckets beside the comparison's at the same position. */
function chartPoints(
  { metric, series, previousSeries, granularity, shop }: SeriesChartProps,
  comparing: boolean,
): ChartPoint[] {
  const valueOf = (point: SeriesPoint) => (metric === "orders" ? point.orders : toNumber(point[metric]));
  const textOf = (point: SeriesPoint) =>
    metric === "orders" ? formatCount(point.orders, shop.locale) : formatMoney(point[metric], shop);
  const length = Math.max(series.length, comparing && previousSeries ? previousSeries.length : 0);
  return Array.from({ length }, (_, i) => {
    const point = series[i];
    const before = comparing && previousSeries ? previousSeries[i] : undefined;
    const key = point?.bucket ?? before?.bucket ?? "";
    return {
      label: point ? formatBucket(point.bucket, granularity, shop.locale) : "",
      longLabel: point ? formatBucket(key, granularity, shop.locale, "long") : "",
      previousLabel: before ? formatBucket(before.bucket, granularity, shop.locale, "long") : null,
      current: point ? valueOf(point) : null,
      previous: before ? valueOf(before) : null,
      currentText: point ? textOf(point) : "",
      previousText: before ? textOf(before) : "",
    };
  });
}

/**
 * A line over time with the comparison period dashed, a summary for screen readers, and the same
 * points as a data table behind a "Show data table" button.
 */
export function SeriesChart(props: SeriesChartProps) {
  const { title, granularity, rangeLabel, headline, loading } = props;
  const comparing = props.previousSeries !== null && props.compareLabel !== null;
  // The comparison's label only where there is a comparison to show.
  const compareLabel = comparing ? props.compareLabel : null;
  const points = chartPoints(props, comparing);

  const summary =
    `Line chart of ${title.toLowerCase()} by ${GRANULARITY_NOUNS[granularity].toLowerCase()}, ${rangeLabel}: ${headline}` +
    (comparing ? `, with ${compareLabel} as a dashed line` : "") +
    ". The same figures are in the data table below.";

  return (
    <Card>
      <BlockStack gap="300">
        <BlockStack gap="100">
          <Text as="h2" variant="headingMd">
            {title}
          </Text>
          {loading ? (
            <SkeletonDisplayText size="small" />
          ) : (
            <Text as="p" variant="headingLg">
              {headline}
            </Text>
          )}
        </BlockStack>
        <InlineStack gap="400" wrap>
          <LegendKey color={CURRENT_COLOR} label={rangeLabel} />
          {compareLabel !== null ? <LegendKey color={PREVIOUS_COLOR} label={compareLabel} dashed /> : null}
        </InlineStack>
        <div
          role="figure"
          aria-label={summary}
          aria-busy={loading || undefined}
          style={{ height: CHART_HEIGHT, width: "100%", opacity: loading ? 0.4 : 1, transition: "opacity 150ms" }}
        >
          <SeriesLines
            points={points}
            metric={props.metric}
            shop={props.shop}
            rangeLabel={rangeLabel}
            compareLabel={compareLabel}
          />
        </div>
        <SeriesTable points={points} granularity={granularity} rangeLabel={rangeLabel} compareLabel={compareLabel} />
      </BlockStack>
    </Card>
  );
}

/** The chart itself: the period's line, and the comparison's dashed when there is one. */
function SeriesLines({
  points,
  metric,
  shop,
  rangeLabel,
  compareLabel,
}: Pick<SeriesChartProps, "metric" | "shop" | "rangeLabel" | "compareLabel"> & { points: ChartPoint[] }) {
  const isMoney = metric !== "orders";
  const format = (value: number) => (isMoney ? formatMoney(value, shop) : formatCount(value, shop.locale));
  return (
    <ResponsiveContainer width="100%" height={CHART_HEIGHT} initialDimension={{ width: 480, height: CHART_HEIGHT }}>
      <LineChart data={points} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
        <CartesianGrid vertical={false} stroke="#e3e3e3" />
        <XAxis
          dataKey="label"
          tickLine={false}
          axisLine={false}
          minTickGap={24}
          tick={{ fontSize: 12, fill: "#616161" }}
        />
        <YAxis
          width={isMoney ? 64 : 40}
          tickLine={false}
          axisLine={false}
          allowDecimals={isMoney}
          tick={{ fontSize: 12, fill: "#616161" }}
          tickFormatter={(value: number) =>
            isMoney ? formatCompactMoney(value, shop) : formatCount(value, shop.locale)
          }
        />
        <Tooltip
          labelFormatter={(_, payload) => (payload?.[0]?.payload as ChartPoint | undefined)?.longLabel ?? ""}
          formatter={(value, _name, item) => {
            const point = item.payload as ChartPoint;
            const name = item.dataKey === "previous" ? (point.previousLabel ?? compareLabel) : rangeLabel;
            return [typeof value === "number" ? format(value) : String(value), name];
          }}
        />
        <Line
          type="monotone"
          dataKey="current"
          name={rangeLabel}
          stroke={CURRENT_COLOR}
          strokeWidth={2}
          dot={false}
          isAnimationActive={false}
          connectNulls={false}
        />
        {compareLabel !== null ? (
          <Line
            type="monotone"
            dataKey="previous"
            name={compareLabel}
            stroke={PREVIOUS_COLOR}
            strokeWidth={2}
            strokeDasharray="5 4"
            dot={false}
            isAnimationActive={false}
          />
        ) : null}
      </LineChart>
    </ResponsiveContainer>
  );
}

/** The chart's points as a table, behind a button that shows and hides it (always shown in print). */
function SeriesTable({
  points,
  granularity,
  rangeLabel,
  compareLabel,
}: Pick<SeriesChartProps, "granularity" | "rangeLabel" | "compareLabel"> & { points: ChartPoint[] }) {
  const [tableOpen, setTableOpen] = useState(false);
  const tableId = useId();
  const noun = GRANULARITY_NOUNS[granularity];
  return (
    <>
      <InlineStack>
        <Button
          variant="plain"
          onClick={() => setTableOpen((open) => !open)}
          ariaExpanded={tableOpen}
          ariaControls={tableId}
          disclosure={tableOpen ? "up" : "down"}
        >
          {tableOpen ? "Hide data table" : "Show data table"}
        </Button>
      </InlineStack>
      <Collapsible id={tableId} open={tableOpen} expandOnPrint>
        <Box>
          <DataTable
            columnContentTypes={compareLabel !== null ? ["text", "numeric", "text", "numeric"] : ["text", "numeric"]}
            headings={
              compareLabel !== null
                ? [noun, rangeLabel, `Compared ${noun.toLowerCase()}`, compareLabel]
                : [noun, rangeLabel]
            }
            rows={points.map((p) =>
              compareLabel !== null
                ? [p.longLabel, p.currentText, p.previousLabel ?? "", p.previousText]
                : [p.longLabel, p.currentText],
            )}
            increasedTableDensity
            hasZebraStripingOnData
          />
        </Box>
      </Collapsible>
    </>
  );
}

function LegendKey({ color, label, dashed }: { color: string; label: string; dashed?: boolean }) {
  return (
    <InlineStack gap="150" blockAlign="center" wrap={false}>
      <svg width="20" height="8" aria-hidden="true" focusable="false">
        <line
          x1="0"
          y1="4"
          x2="20"
          y2="4"
          stroke={color}
          strokeWidth="2"
          strokeDasharray={dashed ? "5 4" : undefined}
        />
      </svg>
      <Text as="span" variant="bodySm" tone="subdued">
        {label}
      </Text>
    </InlineStack>
  );
}
