import { parentPort } from "node:worker_threads";
import { decodePage } from "./decode-page.ts";
import { MalformedBodyError } from "./rest-client.ts";
import type { ResourceName } from "./resources/index.ts";

// The decoding thread (decoder.server.ts): pages in as transferred bytes, batches out.

export interface DecodeRequest {
  id: number;
  resource: ResourceName;
  bytes: ArrayBuffer;
}

// A page's objects all die once its batch is posted. In a process started with --expose-gc (as
// `npm run worker` is), a young-generation collection right then finds next to nothing alive; left to
// V8, collections land in the middle of a page and move the half-built page to the old generation,
// which costs CPU and keeps the thread's memory higher.
const collect = globalThis.gc ? () => globalThis.gc!({ type: "minor", execution: "sync" }) : () => {};

parentPort!.on("message", ({ id, resource, bytes }: DecodeRequest) => {
  try {
    parentPort!.postMessage({ id, page: decodePage(resource, new Uint8Array(bytes)) });
  } catch (error) {
    parentPort!.postMessage({
      id,
      error: { malformed: error instanceof MalformedBodyError, message: String((error as Error)?.message ?? error) },
    });
  }
  collect();
});
