import { authenticate } from "../shopify.server.ts";
import { WEBHOOK_BODY_LIMIT } from "./webhook-body.ts";

// The edge of the webhook routes: a body over the cap is refused while it streams (never buffered
// whole), a forged HMAC keeps Shopify's library's 401, and a signed body that is not JSON gets a 400
// with its reason instead of an error page.

/** A short answer to a webhook request the app will not process. */
export const refuse = (status: number, reason: string) =>
  new Response(reason, { status, headers: { "content-type": "text/plain; charset=utf-8" } });

class BodyTooLarge extends Error {}

/** The request with its body cut off (an error) at `limit` bytes. */
function capped(request: Request, limit: number): Request {
  if (!request.body) return request;
  let seen = 0;
  const body = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength;
        if (seen > limit) controller.error(new BodyTooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body,
    duplex: "half",
  } as RequestInit);
}

/** authenticate.webhook with the cap and the JSON check; anything refused is thrown as a Response. */
export async function authenticateWebhook(request: Request) {
  const length = Number(request.headers.get("content-length") ?? "0");
  if (length > WEBHOOK_BODY_LIMIT) throw refuse(413, `Webhook bodies are limited to ${WEBHOOK_BODY_LIMIT} bytes.`);
  try {
    return await authenticate.webhook(capped(request, WEBHOOK_BODY_LIMIT));
  } catch (error) {
    if (error instanceof Response) throw error;
    if (error instanceof BodyTooLarge || (error instanceof TypeError && error.cause instanceof BodyTooLarge)) {
      throw refuse(413, `Webhook bodies are limited to ${WEBHOOK_BODY_LIMIT} bytes.`);
    }
    if (error instanceof SyntaxError) throw refuse(400, "The webhook body is not JSON.");
    throw error;
  }
}
