// The inventory page's query as the URL states it (`view`, `sort`, `direction`, `page`) and the
// low-stock threshold the merchant sets. Pure, like range.ts: the loader and the page share it.
import {
  INVENTORY_SORTS,
  INVENTORY_VIEWS,
  type InventoryQuery,
  type InventorySort,
  type InventoryView,
} from "./types.ts";
import { fail, oneOf, quoted, single, type Parsed } from "./range.ts";

export const INVENTORY_PAGE_SIZE = 50;
export const MAX_INVENTORY_PAGE = 10_000;
export const MAX_LOW_STOCK_THRESHOLD = 100_000;

const SORT_LABELS: Record<InventorySort, string> = {
  product: "product",
  on_hand: "on hand",
  value: "value",
  units_sold: "units sold",
  days_of_cover: "days of cover",
};

/** Reads `view`, `sort`, `direction` and `page`; the page size is fixed. */
export function parseInventoryQuery(params: URLSearchParams): Parsed<InventoryQuery> {
  const view = single(params, "view");
  if (!view.ok) return view;
  const sort = single(params, "sort");
  if (!sort.ok) return sort;
  const direction = single(params, "direction");
  if (!direction.ok) return direction;
  const page = single(params, "page");
  if (!page.ok) return page;

  const viewValue = view.value ?? "all";
  if (!oneOf<InventoryView>(INVENTORY_VIEWS, viewValue)) {
    return fail(
      "view",
      `${quoted(viewValue)} is not an inventory view ("view" parameter). Use one of: ${INVENTORY_VIEWS.join(", ")}.`,
    );
  }
  const sortValue = sort.value ?? "days_of_cover";
  if (!oneOf<InventorySort>(INVENTORY_SORTS, sortValue)) {
    return fail(
      "sort",
      `${quoted(sortValue)} is not a column inventory can be sorted by ("sort" parameter). Use one of: ${INVENTORY_SORTS.join(", ")}.`,
    );
  }
  const directionValue = direction.value ?? "asc";
  if (directionValue !== "asc" && directionValue !== "desc") {
    return fail(
      "direction",
      `The sort direction ("direction" parameter) must be asc or desc; got ${quoted(directionValue)}.`,
    );
  }
  let pageNumber = 1;
  if (page.value !== null) {
    if (!/^\d{1,6}$/.test(page.value) || Number(page.value) < 1 || Number(page.value) > MAX_INVENTORY_PAGE) {
      return fail(
        "page",
        `The page ("page" parameter) must be a whole number from 1 to ${MAX_INVENTORY_PAGE}; got ${quoted(page.value)}.`,
      );
    }
    pageNumber = Number(page.value);
  }
  return {
    ok: true,
    value: {
      view: viewValue,
      sort: sortValue,
      direction: directionValue,
      page: pageNumber,
      pageSize: INVENTORY_PAGE_SIZE,
    },
  };
}

/**
 * A copy of `params` with some of the inventory query changed; every other parameter is kept.
 * Changing the view, sort or direction goes back to the first page.
 */
export function withInventoryQuery(
  params: URLSearchParams,
  change: Partial<Pick<InventoryQuery, "view" | "sort" | "direction" | "page">>,
): URLSearchParams {
  const next = new URLSearchParams(params);
  if (change.view !== undefined) next.set("view", change.view);
  if (change.sort !== undefined) next.set("sort", change.sort);
  if (change.direction !== undefined) next.set("direction", change.direction);
  const page = change.page ?? 1;
  if (page === 1) next.delete("page");
  else next.set("page", String(page));
  return next;
}

/** A copy of `params` without any inventory query parameter: the default view, sort and page. */
export function withDefaultInventoryQuery(params: URLSearchParams): URLSearchParams {
  const next = new URLSearchParams(params);
  for (const name of ["view", "sort", "direction", "page"]) next.delete(name);
  return next;
}

export function inventorySortLabel(sort: InventorySort): string {
  return SORT_LABELS[sort];
}

/** The low-stock threshold a merchant typed: a whole number of units from 0 to 100,000. */
export function parseLowStockThreshold(raw: unknown): Parsed<number> {
  const text = typeof raw === "string" ? raw.trim() : "";
  if (text === "") return fail("threshold", "Enter a low-stock threshold: a whole number of units.");
  if (!/^\d{1,6}$/.test(text) || Number(text) > MAX_LOW_STOCK_THRESHOLD) {
    return fail(
      "threshold",
      `The low-stock threshold must be a whole number of units from 0 to ${MAX_LOW_STOCK_THRESHOLD.toLocaleString("en-US")}; got ${quoted(text)}.`,
    );
  }
  return { ok: true, value: Number(text) };
}
