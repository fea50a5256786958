import { existsSync } from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import { Worker } from "node:worker_threads";
import { decodePage, type DecodedPage } from "./decode-page.ts";
import { MalformedBodyError, PageTooLargeError, RefetchError } from "./rest-client.ts";
import type { ResourceName } from "./resources/index.ts";

// Where sync pages are decoded. Parsing a page of orders (about 1 MB of JSON, line items in full),
// mapping and encoding it is most of the sync's own CPU; on a thread of its own it overlaps with the
// main thread's HTTP and PostgreSQL work instead of queueing behind it. One thread per process,
// started on first use and idle (not keeping the process alive) when no page is in it.

export interface PageDecoder {
  /** Decodes a page; `bytes` is transferred (unusable by the caller afterwards). */
  decode(resource: ResourceName, bytes: ArrayBuffer): Promise<DecodedPage>;
}

/** Decodes on the calling thread. */
export const inlineDecoder: PageDecoder = {
  decode: async (resource, bytes) => decodePage(resource, new Uint8Array(bytes)),
};

const THREAD_FILE = "decode-thread.ts";

/** The thread's script, beside this module when run from source, or in app/ingest of the project
 * holding the server build. */
function threadScript(): string {
  const beside = path.join(import.meta.dirname, THREAD_FILE);
  if (existsSync(beside)) return beside;
  for (let dir = import.meta.dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "app", "ingest", THREAD_FILE);
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${THREAD_FILE} not found from ${import.meta.dirname}`);
  }
}

interface Pending {
  resolve(page: DecodedPage): void;
  reject(error: Error): void;
  bytes: number;
}

type Reply =
  { id: number; page: DecodedPage; error?: undefined } | { id: number; error: { malformed: boolean; message: string } };

/** The thread's heap. A page's objects live only while it is decoded: a small young generation suffices. */
export interface DecoderLimits {
  maxYoungGenerationSizeMb: number;
  maxOldGenerationSizeMb: number;
}

const DEFAULT_LIMITS: DecoderLimits = { maxYoungGenerationSizeMb: 48, maxOldGenerationSizeMb: 128 };

/**
 * A worker process starts with a larger first old generation (`--initial-old-space-size`, package.json):
 * its main thread keeps about 25 MB alive while batches stream through it, and with V8's first limit
 * just above that it marked the old generation almost without pause (over 200 full collections a
 * 100,000-order import, a fifth of the process's CPU). The decoding thread gains nothing from it (its
 * pages die young and it collects after each) and would only hold more memory, so V8's default is
 * restored before the thread starts: V8 reads its heap flags when an isolate is created. Were the flag
 * frozen, the thread would keep the larger first size, which only costs memory.
 */
function startWithDefaultOldGeneration(): void {
  try {
    v8.setFlagsFromString("--initial-old-space-size=0");
  } catch {
    // Flags frozen: see above.
  }
}

class ThreadDecoder implements PageDecoder {
  private worker: Worker | undefined;
  /** In the order sent: the thread decodes one page at a time, the first is the one in its hands. */
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly limits: DecoderLimits;

  constructor(limits: DecoderLimits) {
    this.limits = limits;
  }

  decode(resource: ResourceName, bytes: ArrayBuffer): Promise<DecodedPage> {
    const worker = this.start();
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject, bytes: bytes.byteLength });
      if (this.pending.size === 1) worker.ref();
      worker.postMessage({ id, resource, bytes }, [bytes]);
    });
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    startWithDefaultOldGeneration();
    const worker = new Worker(threadScript(), { resourceLimits: { ...this.limits } });
    worker.on("message", (reply: Reply) => {
      const pending = this.pending.get(reply.id);
      if (!pending) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.error === undefined) pending.resolve(reply.page);
      else if (reply.error.malformed) pending.reject(new MalformedBodyError(pending.bytes));
      else pending.reject(new Error(`Decoding a page failed: ${reply.error.message}`));
    });
    worker.on("error", (error) => this.stop(worker, error));
    worker.on("exit", (code) => this.stop(worker, new Error(`The page decoding thread exited (code ${code})`)));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  /**
   * The thread is gone (out of memory, or crashed): the page it was decoding is reported too large
   * when memory ran out, and every page is to be fetched again (their bytes went with the thread).
   * The next page sent starts a new thread.
   */
  private stop(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    const outOfMemory = (error as Error & { code?: string }).code === "ERR_WORKER_OUT_OF_MEMORY";
    let first = true;
    for (const pending of this.pending.values()) {
      pending.reject(
        first && outOfMemory
          ? new PageTooLargeError(`A page of ${pending.bytes} bytes does not fit the decoder's memory`)
          : new RefetchError(`The page decoding thread stopped (${error.message})`),
      );
      first = false;
    }
    this.pending.clear();
  }
}

/** A decoding thread of its own (the sync uses the process's shared one). */
export function createThreadDecoder(limits: DecoderLimits = DEFAULT_LIMITS): PageDecoder {
  return new ThreadDecoder(limits);
}

let shared: PageDecoder | undefined;

/** The process's decoding thread. */
export function threadDecoder(): PageDecoder {
  return (shared ??= createThreadDecoder());
}
