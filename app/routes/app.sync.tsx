import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { z } from "zod";
import { authenticateAdmin } from "../web/admin-request.server.ts";
import { readForm } from "../web/bad-request.server.ts";
import { InsightsInputError } from "../insights/errors.ts";
import { requestSync } from "../ingest/background.server.ts";
import { runView, syncStatus } from "../insights/syncs.server.ts";
import type { SyncRunView, SyncStatusReport } from "../insights/types.ts";

// The sync card's resource route. GET: the shop's sync status (polled every second or two while a
// run is queued or running). POST intent=sync|full: queues a sync, or answers with the run already
// queued or running. Anything else (another intent, intent twice, a body that is not a form) is a 400.

export type SyncActionData =
  { ok: true; created: boolean; run: SyncRunView } | { ok: false; error: { field: string; message: string } };

const SyncRequest = z.object({ intent: z.enum(["sync", "full"]) });

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  return json<SyncStatusReport>(await syncStatus(session.shop), { headers: { "cache-control": "no-store" } });
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const { session } = await authenticateAdmin(request);
  let form: FormData;
  try {
    form = await readForm(request);
  } catch (error) {
    if (!(error instanceof InsightsInputError)) throw error;
    return json<SyncActionData>({ ok: false, error: { field: error.field, message: error.message } }, { status: 400 });
  }
  const parsed = SyncRequest.safeParse(Object.fromEntries(form));
  if (!parsed.success || form.getAll("intent").length !== 1) {
    return json<SyncActionData>(
      { ok: false, error: { field: "intent", message: 'Send intent "sync" (changes since the last sync) or "full".' } },
      { status: 400 },
    );
  }
  const { run, created } = await requestSync(session.shop, { full: parsed.data.intent === "full" });
  return json<SyncActionData>({ ok: true, created, run: runView(run) }, { status: created ? 202 : 200 });
};
