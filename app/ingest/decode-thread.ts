import { parentPort } from "node:worker_threads";
import { decodePage } from "./page-decoder.ts";
import { MalformedBodyError } from "./rest-client.ts";
import type { ResourceName } from "./tables.ts";

// The decoding thread (decoder.server.ts): pages in as transferred bytes, batches out.

export interface DecodeRequest {
  id: number;
  resource: ResourceName;
  bytes: ArrayBuffer;
}

parentPort!.on("message", ({ id, resource, bytes }: DecodeRequest) => {
  try {
    parentPort!.postMessage({ id, page: decodePage(resource, new Uint8Array(bytes)) });
  } catch (error) {
    parentPort!.postMessage({
      id,
      error: { malformed: error instanceof MalformedBodyError, message: String((error as Error)?.message ?? error) },
    });
  }
});
