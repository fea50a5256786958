import { PassThrough } from "stream";
import { renderToPipeableStream } from "react-dom/server";
import { isRouteErrorResponse, RemixServer } from "@remix-run/react";
import {
  createReadableStreamFromReadable,
  type ActionFunctionArgs,
  type EntryContext,
  type LoaderFunctionArgs,
} from "@remix-run/node";
import { isbot } from "isbot";
import { addDocumentResponseHeaders } from "./shopify.server.ts";
import { interruptSyncs, shopQueue, shutdown as stopRuntime, startProcessWorker } from "./ingest/background.server.ts";
import { offlineAccessToken } from "./access-token.server.ts";
import { provideShopQueue } from "./lifecycle/queue.server.ts";
import { closeHealthPool, markStopping } from "./web/health.server.ts";
import { log } from "./lib/log.server.ts";
import { adjustForOfflineAdmin } from "./web/offline-admin.server.ts";

// The configuration is validated before anything here runs: app/shopify.server.ts reads it (env())
// as it loads, and `npm start` has checked it before loading the build (app/lib/env.server.ts).
//
// The web process starts the sync engine here. Installs and shop/redact queue their jobs on its
// queue; the worker runs in this process unless SYNC_WORKER=off (then `npm run worker` runs it),
// reading each shop's offline token from the session storage.
provideShopQueue(shopQueue);
void startProcessWorker({ tokens: offlineAccessToken }).catch((error) =>
  log.error("sync worker could not start", { error }),
);

/** The web server's first step on SIGTERM: readiness turns 503 and syncs in flight stop after their page. */
export function beginShutdown(): void {
  markStopping();
  void interruptSyncs();
}

/** The last step, once requests in flight are done: the worker, the queue and the database pools. */
export async function shutdown(timeoutMs?: number): Promise<void> {
  await Promise.all([stopRuntime(timeoutMs), closeHealthPool()]);
}

/** Errors of loaders, actions and rendering, as log lines (Remix would print them free-form). */
export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs): void {
  // A URL no route matches is a 404 in the access log, not an error.
  if (request.signal.aborted || (isRouteErrorResponse(error) && error.status < 500)) return;
  const url = new URL(request.url);
  log.error("request failed", {
    method: request.method,
    path: `${url.pathname}${url.search}`,
    shop: url.searchParams.get("shop") ?? undefined,
    error,
  });
}

export const streamTimeout = 5000;

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  adjustForOfflineAdmin(responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        log.error("render failed", { path: new URL(request.url).pathname, error });
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}
