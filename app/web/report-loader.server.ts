import type { LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { authenticateAdmin } from "./admin-request.server.ts";
import { orBadRequest } from "./bad-request.server.ts";
import { NotFoundError } from "../insights/errors.ts";
import { syncStatus } from "../insights/syncs.server.ts";

// The loaders the report pages share: authenticate the session token, read the page's report for
// the signed-in shop (a refused parameter becomes its reason, a record the shop does not have a
// 404), and add the shop's sync status for the line under the title.

/**
 * A report page's loader (overview, inventory, the lists): `report` for the shop and the URL's
 * parameters, with the sync status; an invalid parameter is its reason (see orBadRequest).
 */
export function reportLoader<Report extends object>(
  report: (shop: string, params: URLSearchParams) => Promise<Report>,
) {
  return async ({ request }: LoaderFunctionArgs) => {
    const { session } = await authenticateAdmin(request);
    const [result, sync] = await Promise.all([
      orBadRequest(request, () => report(session.shop, new URL(request.url).searchParams)),
      syncStatus(session.shop),
    ]);
    return result instanceof Response ? result : { ...result, sync };
  };
}

/**
 * A record page's work (the record with the sync status); `missing`, with status 404, for a record
 * the shop does not have, so the page can say so.
 */
export async function orNotFound<Found, Missing>(work: () => Promise<Found>, missing: Missing) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof NotFoundError) return json(missing, { status: 404 });
    throw error;
  }
}
