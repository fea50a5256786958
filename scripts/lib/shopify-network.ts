// Preloaded (node --import) into the app's server process by `npm run demo`: *.myshopify.com resolves
// to the simulator at the network layer, so the app keeps calling https://{shop}/admin/api/… unchanged.
import { readFileSync } from "node:fs";
import { setGlobalDispatcher } from "undici";
import { simulatorDispatcher } from "../../simulator/dispatcher.ts";

const httpsPort = Number(process.env.SIMULATOR_HTTPS_PORT);
const caFile = process.env.SIMULATOR_CA_FILE;
if (!httpsPort || !caFile) throw new Error("SIMULATOR_HTTPS_PORT and SIMULATOR_CA_FILE must be set");
setGlobalDispatcher(
  simulatorDispatcher({ host: "127.0.0.1", httpsPort, httpPort: 0, caPem: readFileSync(caFile, "utf8") }),
);
