// How an injected fault meets a request to a shop before it is served: a hang, a reset or an error
// status answers it here, a slow fault delays it. The other kinds (truncate, malformed, rate_limit,
// revoke_token) stay on the context and act where the answer is made.
import http from "node:http";
import type { ServerContext } from "./common.ts";
import type { RequestContext } from "./http.ts";

/** Returns true when the fault has answered (or dropped) the request. */
export async function answerFault(server: ServerContext, ctx: RequestContext): Promise<boolean> {
  const { req, res } = ctx;
  const f = ctx.fault;
  if (!f) return false;
  switch (f.kind) {
    case "timeout":
      server.count(ctx, 0);
      server.hanging.add(res);
      res.on("close", () => server.hanging.delete(res));
      req.resume();
      return true;
    case "reset":
      server.count(ctx, 0);
      req.socket.destroy();
      return true;
    case "status": {
      const st = f.status ?? 500;
      if (st === 502) {
        server.count(ctx, st);
        res.writeHead(502, { "content-type": "text/html; charset=utf-8", "x-request-id": ctx.requestId });
        res.end("<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1></body></html>");
        return true;
      }
      const msg =
        st === 503 ? "Service Unavailable" : st === 500 ? "Internal Server Error" : (http.STATUS_CODES[st] ?? "Error");
      server.send(ctx, st, JSON.stringify({ errors: msg }));
      return true;
    }
    case "slow":
      await new Promise((r) => setTimeout(r, f.delayMs ?? 2000));
      return false;
    default:
      return false;
  }
}
