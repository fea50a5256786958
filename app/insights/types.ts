// The plain objects the insights functions return and the pages render. Shared by server and UI,
// so it holds types only (one file past 400 lines on purpose: the pages share many of these shapes,
// and one catalogue is easier to read than one per page). Money travels as a decimal string in the shop's currency ("1234.50",
// "-12.00"); the UI formats it with the shop's locale and currency.

import type { ResourceName } from "../ingest/resources/index.ts";
import type { ResourceProgress } from "../ingest/sync-progress.ts";

/** Shopify Analytics' date-range presets. */
export const RANGE_PRESETS = [
  "today",
  "yesterday",
  "last_7_days",
  "last_30_days",
  "last_90_days",
  "last_12_months",
  "month_to_date",
  "year_to_date",
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

export const COMPARISONS = ["previous_period", "previous_year", "none"] as const;
export type Comparison = (typeof COMPARISONS)[number];

/** Calendar days in the shop's timezone, both ends included, as YYYY-MM-DD. */
export interface DateRange {
  from: string;
  to: string;
}

export type Granularity = "hour" | "day" | "week" | "month";

/** A validated date-range request: what the URL asked for, resolved against the shop's today. */
export interface ResolvedRange {
  preset: RangePreset | "custom";
  range: DateRange;
  comparison: Comparison;
  /** The comparison period's days, or null when comparison is "none". */
  compareRange: DateRange | null;
  granularity: Granularity;
}

/** Shopify's sales figures for a range (definitions in README "Definitions"). */
export interface SalesFigures {
  grossSales: string;
  discounts: string;
  returns: string;
  netSales: string;
  shipping: string;
  taxes: string;
  totalSales: string;
  orders: number;
  /** (gross sales − discounts) of orders placed ÷ orders placed; null when no orders. */
  averageOrderValue: string | null;
}

/** Customer figures for a range; null as a whole when Shopify refused protected customer data. */
export interface CustomerFigures {
  /** Customers who placed an order in the range. */
  customers: number;
  /** Of those, customers with more than one order ever. */
  returningCustomers: number;
  /** returningCustomers ÷ customers (0..1); null when no customers. */
  returningCustomerRate: number | null;
  /** Customers whose first order ever was placed in the range. */
  newCustomers: number;
}

/** One bucket of a chart: its start in the shop's timezone ("2026-03-01" or "2026-03-01T13:00"). */
export interface SeriesPoint {
  bucket: string;
  totalSales: string;
  netSales: string;
  orders: number;
}

export interface ProductRank {
  productId: string;
  title: string;
  netSales: string;
  /** Units ordered minus units returned. */
  netUnits: number;
}

export interface CustomerRank {
  customerId: string;
  /** "First Last", or null when unknown or redacted. */
  name: string | null;
  email: string | null;
  redacted: boolean;
  netSales: string;
  orders: number;
}

export interface ShopInfo {
  name: string;
  domain: string;
  currency: string;
  timezone: string;
  /** BCP 47 locale to format numbers with. */
  locale: string;
}

/** Per resource progress of the import in flight. */
export interface ImportProgress {
  startedAt: string | null;
  resources: { name: ResourceName; written: number; total: number | null; done: boolean }[];
}

/**
 * empty: nothing imported and no import running; importing: the shop's first import is running
 * (figures would be partial); ready: figures are complete.
 */
export type DataState = "empty" | "importing" | "ready";

export interface OverviewReport {
  shop: ShopInfo;
  state: DataState;
  importProgress: ImportProgress | null;
  range: ResolvedRange;
  current: SalesFigures;
  previous: SalesFigures | null;
  customers: CustomerFigures | null;
  previousCustomers: CustomerFigures | null;
  /** False when Shopify refused protected customer data: customer figures are missing, not zero. */
  customerDataAvailable: boolean;
  /** Zero-filled buckets covering the range; previousSeries covers the comparison period bucket by bucket. */
  series: SeriesPoint[];
  previousSeries: SeriesPoint[] | null;
  topProducts: { byNetSales: ProductRank[]; byUnits: ProductRank[] };
  /** Null when customer data is unavailable. */
  topCustomers: CustomerRank[] | null;
}

export const INVENTORY_SORTS = ["product", "on_hand", "value", "units_sold", "days_of_cover"] as const;
export type InventorySort = (typeof INVENTORY_SORTS)[number];

export const INVENTORY_VIEWS = ["all", "low", "out"] as const;
export type InventoryView = (typeof INVENTORY_VIEWS)[number];

export interface InventoryQuery {
  view: InventoryView;
  sort: InventorySort;
  direction: "asc" | "desc";
  /** 1-based page of `pageSize` rows. */
  page: number;
  pageSize: number;
}

export interface InventoryRow {
  productId: string;
  productTitle: string;
  variantId: string;
  variantTitle: string | null;
  sku: string | null;
  onHand: number;
  price: string;
  /** Unit cost when Shopify gives one, else null (the value is then at retail price). */
  unitCost: string | null;
  value: string;
  valuedAt: "cost" | "retail";
  /** Net units sold over the last 30 days (shop timezone, today included). */
  unitsSold30d: number;
  /** onHand ÷ (unitsSold30d ÷ 30); null when nothing sold (no estimate). */
  daysOfCover: number | null;
  status: "out" | "low" | "ok";
}

export interface InventoryReport {
  shop: ShopInfo;
  state: DataState;
  lowStockThreshold: number;
  totals: {
    products: number;
    variants: number;
    unitsOnHand: number;
    value: string;
    /** "retail" when no variant has a cost, "cost" when all do, else "mixed". */
    valuedAt: "cost" | "retail" | "mixed";
    lowStock: number;
    outOfStock: number;
  };
  query: InventoryQuery;
  rows: InventoryRow[];
  /** Rows matching the view, for pagination. */
  matching: number;
}

/** How a sync was started, as its run records it. */
export type SyncTriggerName = "install" | "manual" | "schedule" | "cli" | "webhook";
export type SyncRunStatus = "queued" | "running" | "succeeded" | "partial" | "failed";

/** One resource of a run: records written so far, pages read, and Shopify's count when known. */
export interface SyncResourceView extends Omit<ResourceProgress, "mode" | "resumed"> {
  name: ResourceName;
  /** Null while the resource waits for its pass. */
  mode: ResourceProgress["mode"] | null;
}

export interface SyncRunView {
  id: number;
  trigger: SyncTriggerName;
  full: boolean;
  status: SyncRunStatus;
  queuedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  /** Seconds from start (or queueing) to the end, or to now while it runs. */
  seconds: number | null;
  resources: SyncResourceView[];
  apiCalls: number;
  throttled: number;
  retries: number;
  warnings: string[];
  /** A failed run's error in a merchant's words, and the technical message behind it. */
  error: { summary: string; detail: string } | null;
}

/** What the sync card and the status line show; polled while a run is queued or running. */
export interface SyncStatusReport {
  /** The end of the last run that succeeded (fully or partly). */
  lastSuccessAt: string | null;
  /** The run queued or running now, if any. */
  current: SyncRunView | null;
  /** The latest run that ended, if any. */
  latest: SyncRunView | null;
  /** Customer data refused by Shopify (protected customer data). */
  warnings: string[];
}

export interface SyncHistoryReport {
  shop: ShopInfo;
  status: SyncStatusReport;
  runs: SyncRunView[];
}

export type OrderListSort = "date" | "number";

export interface OrderListRow {
  id: string;
  name: string;
  orderNumber: number | null;
  processedAt: string;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  cancelled: boolean;
  test: boolean;
  totalPrice: string;
  currency: string;
  customerId: string | null;
  /** Null when the order has no customer, the customer is not imported, or was redacted. */
  customerName: string | null;
  customerRedacted: boolean;
}

export interface OrderListReport {
  shop: ShopInfo;
  query: {
    q: string;
    financialStatus: string | null;
    fulfillmentStatus: string | null;
    from: string | null;
    to: string | null;
    sort: OrderListSort;
    direction: "asc" | "desc";
  };
  rows: OrderListRow[];
  /** Cursors of the pages before and after this one (null: there is none). */
  previousCursor: string | null;
  nextCursor: string | null;
}

export interface OrderDetail {
  shop: ShopInfo;
  id: string;
  name: string;
  orderNumber: number | null;
  processedAt: string;
  financialStatus: string | null;
  fulfillmentStatus: string | null;
  cancelledAt: string | null;
  cancelReason: string | null;
  test: boolean;
  currency: string;
  tags: string | null;
  subtotal: string;
  discounts: string;
  shipping: string;
  taxes: string;
  total: string;
  refunded: string;
  netPayment: string;
  customerId: string | null;
  customerName: string | null;
  customerEmail: string | null;
  customerRedacted: boolean;
  lines: {
    id: string;
    productId: string | null;
    title: string;
    variantTitle: string | null;
    sku: string | null;
    quantity: number;
    price: string;
    discount: string;
    total: string;
    giftCard: boolean;
    refundedQuantity: number;
  }[];
  refunds: {
    id: string;
    createdAt: string;
    amount: string;
    note: string | null;
    returns: string;
    shipping: string;
    taxes: string;
  }[];
}

export type CustomerListSort = "newest" | "net_sales";

export interface CustomerListRow {
  id: string;
  /** Null when redacted or unnamed. */
  name: string | null;
  email: string | null;
  redacted: boolean;
  location: string | null;
  /** The app's own figures from the stored orders (test orders excluded). */
  orders: number;
  netSales: string;
  lastOrderDay: string | null;
}

export interface CustomerListReport {
  shop: ShopInfo;
  /** False when Shopify refused protected customer data: no customers were imported. */
  customerDataAvailable: boolean;
  query: { q: string; sort: CustomerListSort };
  rows: CustomerListRow[];
  previousCursor: string | null;
  nextCursor: string | null;
}

export interface CustomerDetail {
  shop: ShopInfo;
  id: string;
  redacted: boolean;
  name: string | null;
  email: string | null;
  phone: string | null;
  location: string | null;
  tags: string | null;
  createdAt: string | null;
  orders: number;
  /** Lifetime net sales: gross − discounts − returns of the customer's orders, cancellations netted. */
  netSales: string;
  /** (gross − discounts) ÷ orders; null without orders. */
  averageOrderValue: string | null;
  firstOrderDay: string | null;
  lastOrderDay: string | null;
  /** The latest 50 orders, newest first. */
  recentOrders: {
    id: string;
    name: string;
    processedAt: string;
    financialStatus: string | null;
    cancelled: boolean;
    test: boolean;
    totalPrice: string;
    currency: string;
  }[];
}

export type ProductListSort = "title" | "newest";

export interface ProductListRow {
  id: string;
  title: string;
  status: string | null;
  productType: string | null;
  vendor: string | null;
  tags: string | null;
  variants: number;
  /** Units on hand over all variants (oversold variants count negative, as Shopify shows them). */
  inventory: number;
  minPrice: string | null;
  maxPrice: string | null;
}

export interface ProductListReport {
  shop: ShopInfo;
  query: { q: string; productType: string | null; tag: string | null; sort: ProductListSort };
  rows: ProductListRow[];
  previousCursor: string | null;
  nextCursor: string | null;
}

export interface ProductDetail {
  shop: ShopInfo;
  id: string;
  title: string;
  status: string | null;
  productType: string | null;
  vendor: string | null;
  tags: string | null;
  handle: string | null;
  /** The range the sales figures cover (the overview's presets and custom ranges). */
  range: ResolvedRange;
  variants: { id: string; title: string | null; sku: string | null; price: string; inventoryQuantity: number | null }[];
  /** Net sales and net units of the product in the range (README "Definitions"). */
  netSales: string;
  netUnits: number;
}
