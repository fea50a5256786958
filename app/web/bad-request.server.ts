import { json } from "@remix-run/node";
import { InsightsInputError } from "../insights/errors.ts";

/** What a loader returns for a request it cannot answer as asked: the reason, with status 400. */
export interface BadRequest {
  error: { field: string; message: string };
}

/** A browser loading the page itself (a document or the admin's iframe), not a script asking for data. */
const isPageLoad = (request: Request) => ["document", "iframe"].includes(request.headers.get("sec-fetch-dest") ?? "");

/**
 * Runs a loader's work; an invalid parameter becomes its message, which the page shows in a banner. A
 * data request gets it with status 400; a page load gets the page with the banner (200), since a
 * browser reports an error status of a page it shows as a failed load in its console.
 */
export async function orBadRequest<T>(request: Request, work: () => Promise<T>) {
  try {
    return await work();
  } catch (error) {
    if (error instanceof InsightsInputError) {
      return json<BadRequest>(
        { error: { field: error.field, message: error.message } },
        { status: isPageLoad(request) ? 200 : 400 },
      );
    }
    throw error;
  }
}

const FORM_TYPES = ["application/x-www-form-urlencoded", "multipart/form-data"];

/**
 * A POST's form; an InsightsInputError ("body") for a body that is not a form (JSON, plain text,
 * none, a broken multipart body), which request.formData() would throw as a TypeError.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = (request.headers.get("content-type") ?? "").split(";")[0].trim().toLowerCase();
  const refuse = () =>
    new InsightsInputError("body", "Send the form as application/x-www-form-urlencoded or multipart/form-data.");
  if (!FORM_TYPES.includes(type)) throw refuse();
  try {
    return await request.formData();
  } catch {
    throw refuse();
  }
}
