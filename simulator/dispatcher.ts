// An undici Agent that routes every *.myshopify.com connection to the simulator.
import { Agent, buildConnector } from "undici";
import type { Dispatcher } from "undici";

export function simulatorDispatcher(opts: {
  host: string;
  httpPort: number;
  httpsPort: number;
  caPem: string;
}): Dispatcher {
  const normal = buildConnector({});
  const tls = buildConnector({ ca: opts.caPem });
  const plain = buildConnector({});
  return new Agent({
    connect(options, callback) {
      const hostname = String(options.hostname ?? "").toLowerCase();
      if (hostname === "myshopify.com" || hostname.endsWith(".myshopify.com")) {
        if (options.protocol === "https:") {
          return tls(
            { ...options, hostname: opts.host, host: opts.host, port: String(opts.httpsPort), servername: hostname },
            callback,
          );
        }
        return plain({ ...options, hostname: opts.host, host: opts.host, port: String(opts.httpPort) }, callback);
      }
      return normal(options, callback);
    },
  });
}
