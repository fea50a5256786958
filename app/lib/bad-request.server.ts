import { json } from "@remix-run/node";
import { InsightsInputError } from "../insights/shop.server";

/** What a loader returns for a request it cannot answer as asked: the reason, with status 400. */
export interface BadRequest {
  error: { field: string; message: string };
}

/** Runs a loader's work; an invalid parameter becomes a 400 with its message (the page shows a banner). */
export async function orBadRequest<T>(work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InsightsInputError) {
      return json<BadRequest>({ error: { field: error.field, message: error.message } }, { status: 400 });
    }
    throw error;
  }
}
