import { useState } from "react";
import { useSearchParams } from "@remix-run/react";
import {
  BlockStack,
  Box,
  Button,
  DatePicker,
  InlineError,
  InlineGrid,
  InlineStack,
  OptionList,
  Popover,
  Select,
  TextField,
  useBreakpoints,
} from "@shopify/polaris";
import {
  COMPARISON_LABELS,
  EARLIEST_DAY,
  PRESET_LABELS,
  isCalendarDate,
  resolveRange,
  todayIn,
  withComparison,
  withRange,
} from "../insights/range.ts";
import {
  COMPARISONS,
  RANGE_PRESETS,
  type Comparison,
  type DateRange,
  type RangePreset,
  type ResolvedRange,
} from "../insights/types.ts";
import { formatDateRange } from "./format.ts";

export interface DateRangePickerProps {
  /** The range the page shows, as the loader resolved it. */
  range: ResolvedRange;
  /** The shop's IANA zone: "today" is the shop's today, not the viewer's. */
  timezone: string;
  locale: string;
  disabled?: boolean;
  /** Whether the comparison period can be chosen (pages without a comparison leave it out). */
  comparison?: boolean;
}

/** A calendar day as a local Date for Polaris' DatePicker (which works in the viewer's zone), and back. */
function toPickerDate(day: string): Date {
  return new Date(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}

function fromPickerDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The (first) month the calendar shows: the end date's, or the one before it when two months show. */
function shownMonth(day: string, twoMonths: boolean): { month: number; year: number } {
  const month = Number(day.slice(5, 7)) - 1 - (twoMonths ? 1 : 0);
  const year = Number(day.slice(0, 4));
  return month < 0 ? { month: 11, year: year - 1 } : { month, year };
}

/**
 * The period and comparison of a report, kept in the URL (`range`, `from`, `to`, `compare`) so a view
 * can be shared and reloaded; every other parameter is kept. Presets apply at once; a custom range is
 * picked on the calendar (or typed) and applied with "Apply".
 */
export function DateRangePicker({ range, timezone, locale, disabled, comparison = true }: DateRangePickerProps) {
  const [searchParams, setSearchParams] = useSearchParams();
  const { mdUp } = useBreakpoints();
  const [active, setActive] = useState(false);
  const [choice, setChoice] = useState<string>(range.preset);
  const [draft, setDraft] = useState<{ from: string; to: string }>(range.range);
  const [shown, setShown] = useState(() => shownMonth(range.range.to, false));
  const [error, setError] = useState<string | null>(null);

  const open = () => {
    setChoice(range.preset);
    setDraft(range.range);
    setShown(shownMonth(range.range.to, mdUp));
    setError(null);
    setActive(true);
  };
  const navigate = (params: URLSearchParams) => {
    setActive(false);
    setSearchParams(params, { preventScrollReset: true });
  };

  const onPreset = ([value]: string[]) => {
    setChoice(value);
    setError(null);
    if (value !== "custom") navigate(withRange(searchParams, { preset: value as RangePreset }));
  };

  const applyCustom = () => {
    const custom: DateRange = { from: draft.from, to: draft.to };
    const next = withRange(searchParams, { preset: "custom", range: custom });
    // The same validation the loader runs, so a bad range is explained here rather than after a reload.
    const checked = resolveRange(next, todayIn(timezone, new Date()));
    if (!checked.ok) {
      setError(checked.message);
      return;
    }
    navigate(next);
  };

  const today = active ? todayIn(timezone, new Date()) : range.range.to;
  const options = [...RANGE_PRESETS, "custom" as const].map((value) => ({ value, label: PRESET_LABELS[value] }));
  const label = range.preset === "custom" ? formatDateRange(range.range, locale) : PRESET_LABELS[range.preset];

  const activator = (
    <Button onClick={active ? () => setActive(false) : open} disclosure={active ? "up" : "down"} disabled={disabled}>
      {label}
    </Button>
  );

  /** A typed day of the custom range, its start or its end. */
  const dayField = (label: string, end: "from" | "to") => (
    <TextField
      label={label}
      type="date"
      autoComplete="off"
      value={draft[end]}
      min={EARLIEST_DAY}
      max={today}
      onChange={(day) => {
        setChoice("custom");
        setDraft((d) => ({ ...d, [end]: day }));
      }}
    />
  );

  const calendar = (
    <BlockStack gap="300">
      <InlineGrid columns={2} gap="200">
        {dayField("Start date", "from")}
        {dayField("End date", "to")}
      </InlineGrid>
      <DatePicker
        month={shown.month}
        year={shown.year}
        onMonthChange={(month, year) => setShown({ month, year })}
        selected={
          isCalendarDate(draft.from) && isCalendarDate(draft.to) && draft.from <= draft.to
            ? { start: toPickerDate(draft.from), end: toPickerDate(draft.to) }
            : undefined
        }
        onChange={({ start, end }) => {
          setChoice("custom");
          setError(null);
          setDraft({ from: fromPickerDate(start), to: fromPickerDate(end ?? start) });
        }}
        allowRange
        multiMonth={mdUp}
        weekStartsOn={1}
        disableDatesBefore={toPickerDate(EARLIEST_DAY)}
        disableDatesAfter={toPickerDate(today)}
      />
      {error ? <InlineError message={error} fieldID="date-range-custom" /> : null}
      <InlineStack align="end" gap="200">
        <Button onClick={() => setActive(false)}>Cancel</Button>
        <Button variant="primary" onClick={applyCustom} id="date-range-custom">
          Apply
        </Button>
      </InlineStack>
    </BlockStack>
  );

  return (
    <InlineStack gap="200" blockAlign="center" wrap>
      <Popover
        active={active}
        activator={activator}
        onClose={() => setActive(false)}
        preferredAlignment="left"
        autofocusTarget="first-node"
        fluidContent
      >
        <Box padding="300" maxWidth={mdUp ? "820px" : "340px"}>
          <InlineGrid columns={{ xs: 1, md: choice === "custom" ? ["oneThird", "twoThirds"] : 1 }} gap="300">
            <OptionList title="Date range" options={options} selected={[choice]} onChange={onPreset} />
            {choice === "custom" ? calendar : null}
          </InlineGrid>
        </Box>
      </Popover>
      {comparison ? <ComparisonSelect comparison={range.comparison} disabled={disabled} /> : null}
    </InlineStack>
  );
}

/** The comparison period: previous period, previous year or none, kept in `compare`. */
export function ComparisonSelect({ comparison, disabled }: { comparison: Comparison; disabled?: boolean }) {
  const [searchParams, setSearchParams] = useSearchParams();
  return (
    <Select
      label="Compare to"
      labelInline
      disabled={disabled}
      options={COMPARISONS.map((value) => ({ value, label: COMPARISON_LABELS[value] }))}
      value={comparison}
      onChange={(value) =>
        setSearchParams(withComparison(searchParams, value as Comparison), { preventScrollReset: true })
      }
    />
  );
}
