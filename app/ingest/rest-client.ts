import { LeakyBucketThrottle, parseCallLimit } from "./throttle.ts";

// Shopify Admin REST client: real https://{shop}/admin/api/{version}/… URLs, pacing from the
// rate-limit bucket, retries with capped exponential backoff and jitter, request timeouts, Link
// cursors. Errors carry the status, Shopify's request id and the response body.

export class ShopifyApiError extends Error {
  readonly status: number;
  readonly requestId: string | undefined;
  readonly body: unknown;
  readonly path: string;

  constructor(message: string, details: { status: number; requestId?: string; body?: unknown; path: string }) {
    super(message);
    this.name = "ShopifyApiError";
    this.status = details.status;
    this.requestId = details.requestId;
    this.body = details.body;
    this.path = details.path;
  }
}

export interface AccessTokenSource {
  /**
   * A currently valid token (refreshed by the source when an expiring token is due). Throws
   * AccessTokenUnavailable when none can be had until someone acts; anything else it throws is
   * taken as passing (the database away a moment) and retried like a failed request.
   */
  get(): Promise<string>;
}

/**
 * The shop's access token cannot be had until someone acts: no offline session is stored (the app
 * must be opened from Shopify admin again), or the stored one cannot be opened (sealed with a key
 * this process is not given). Retrying cannot help, so a sync fails at once with this message, which
 * names the cause and the fix.
 */
export class AccessTokenUnavailable extends Error {
  readonly reason: "missing" | "unreadable";

  constructor(reason: "missing" | "unreadable", message: string) {
    super(message);
    this.name = "AccessTokenUnavailable";
    this.reason = reason;
  }
}

export interface RestClientStats {
  calls: number;
  throttled: number;
  retries: number;
}

export interface RestClientOptions {
  shop: string;
  apiVersion: string;
  token: AccessTokenSource;
  throttle?: LeakyBucketThrottle;
  maxRetries?: number;
  timeoutMs?: number;
  backoff?: { baseMs: number; maxMs: number };
  signal?: AbortSignal;
  onRetry?: (info: { path: string; attempt: number; reason: string; delayMs: number }) => void;
}

export interface RestPage<T> {
  body: T;
  next: string | undefined;
  requestId: string | undefined;
  /** Shopify's clock when it answered (the Date header). */
  date: Date | undefined;
}

export type Query = Record<string, string | number | undefined>;

/** A body that could not be decoded this time; fetching the same page again can fix it. */
export class RefetchError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RefetchError";
  }
}

/** The body was not JSON (cut off or garbled in transit): the same request can be repeated. */
export class MalformedBodyError extends RefetchError {
  constructor(bytes: number) {
    super(`Malformed JSON (${bytes} bytes)`);
    this.name = "MalformedBodyError";
  }
}

/** A page too large to decode within the decoder's memory: fewer records per page can fix it. */
export class PageTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PageTooLargeError";
  }
}

/** The fewest records per page the client falls back to for pages too large to decode. */
const MIN_PAGE_LIMIT = 10;

/** `url` asking for half as many records a page, or undefined when it cannot go lower. */
function halfPage(url: string): string | undefined {
  const parsed = new URL(url);
  const limit = Number(parsed.searchParams.get("limit") ?? 50);
  if (limit <= MIN_PAGE_LIMIT) return undefined;
  parsed.searchParams.set("limit", String(Math.max(MIN_PAGE_LIMIT, Math.floor(limit / 2))));
  return parsed.toString();
}

/**
 * Turns a successful response's bytes into its body (JSON.parse by default). Throws
 * MalformedBodyError for a body that is not JSON, which is retried like a transport failure.
 */
export type BodyDecoder<T> = (bytes: ArrayBuffer) => Promise<T> | T;

const utf8 = new TextDecoder();

/** The default BodyDecoder: UTF-8 JSON. */
export const parseJson = <T>(bytes: ArrayBuffer | Uint8Array): T => {
  try {
    return JSON.parse(utf8.decode(bytes)) as T;
  } catch {
    throw new MalformedBodyError(bytes.byteLength);
  }
};

const RETRYABLE_STATUS = new Set([500, 502, 503, 504, 520, 522, 524]);

export class AdminRestClient {
  readonly shop: string;
  readonly stats: RestClientStats = { calls: 0, throttled: 0, retries: 0 };
  readonly throttle: LeakyBucketThrottle;
  private readonly options: RestClientOptions;

  constructor(options: RestClientOptions) {
    this.options = options;
    this.shop = options.shop;
    this.throttle = options.throttle ?? new LeakyBucketThrottle();
  }

  url(path: string, query: Query = {}): string {
    const url = new URL(`https://${this.shop}/admin/api/${this.options.apiVersion}/${path}`);
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    return url.toString();
  }

  async get<T>(path: string, query: Query = {}): Promise<RestPage<T>> {
    return this.request<T>(this.url(path, query), path, parseJson);
  }

  /**
   * Follows `rel="next"` cursors from the first page; yields each page as it arrives. A page's next
   * URL is in its Link header, known before its body is decoded, so the next page is fetched while
   * this one decodes (on a decoding thread, `decode` can take as long as the fetch). A page whose
   * body cannot be decoded is fetched again: as it was (RefetchError), or with half the records when
   * it is too large to decode (PageTooLargeError; Shopify accepts a new `limit` beside `page_info`,
   * and the pages after it keep the smaller size).
   */
  async *pages<T>(
    path: string,
    query: Query = {},
    resumeFrom?: string,
    decode: BodyDecoder<T> = parseJson,
  ): AsyncGenerator<RestPage<T>> {
    const maxRetries = this.options.maxRetries ?? 8;
    const fetchPage = (url: string) => {
      const fetching = this.request(url, path, (bytes) => {
        const decoding = Promise.resolve().then(() => decode(bytes));
        decoding.catch(() => {}); // awaited below, unless iteration stopped
        return { decoding };
      });
      fetching.catch(() => {}); // awaited on its turn, unless iteration stopped
      return fetching;
    };
    let url = resumeFrom ?? this.url(path, query);
    let fetching = fetchPage(url);
    let refetches = 0;
    for (;;) {
      const page = await fetching;
      if (page.next) fetching = fetchPage(page.next);
      let body: T;
      try {
        body = await page.body.decoding;
      } catch (error) {
        if (!(error instanceof RefetchError || error instanceof PageTooLargeError)) throw error;
        const again = error instanceof PageTooLargeError ? halfPage(url) : refetches < maxRetries ? url : undefined;
        if (!again)
          throw new ShopifyApiError(`${path}: ${error.message}`, { status: 0, requestId: page.requestId, path });
        // Fetched again after the same backoff as any retry (a smaller page at once); the next
        // page's request, if already sent, is abandoned.
        const delayMs = error instanceof PageTooLargeError ? 0 : this.backoffMs(refetches);
        refetches += 1;
        this.stats.retries += 1;
        this.options.onRetry?.({ path, attempt: refetches, reason: error.message, delayMs });
        if (delayMs > 0) await sleep(delayMs, this.options.signal);
        url = again;
        fetching = fetchPage(url);
        continue;
      }
      refetches = 0;
      yield { ...page, body };
      if (!page.next) return;
      url = page.next;
    }
  }

  /** The wait before retry `attempt` + 1: capped exponential backoff with jitter (half fixed, half random). */
  private backoffMs(attempt: number): number {
    const backoff = this.options.backoff ?? { baseMs: 500, maxMs: 30_000 };
    const exponential = Math.min(backoff.maxMs, backoff.baseMs * 2 ** attempt);
    return Math.round(exponential / 2 + Math.random() * (exponential / 2));
  }

  private async request<T>(url: string, path: string, decode: BodyDecoder<T>): Promise<RestPage<T>> {
    const maxRetries = this.options.maxRetries ?? 8;
    for (let attempt = 0; ; attempt++) {
      this.options.signal?.throwIfAborted();
      const outcome = await this.attempt<T>(url, path, decode);
      if (outcome.kind === "ok") return outcome.page;
      if (outcome.kind === "fatal" || attempt >= maxRetries) throw outcome.error;
      this.stats.retries += 1;
      const delayMs = outcome.retryAfterMs ?? this.backoffMs(attempt);
      this.options.onRetry?.({ path, attempt: attempt + 1, reason: outcome.error.message, delayMs });
      if (outcome.retryAfterMs === undefined) await sleep(delayMs, this.options.signal);
    }
  }

  private async attempt<T>(
    url: string,
    path: string,
    decode: BodyDecoder<T>,
  ): Promise<
    | { kind: "ok"; page: RestPage<T> }
    | { kind: "retry"; error: Error; retryAfterMs?: number }
    | { kind: "fatal"; error: Error }
  > {
    let token: string;
    try {
      token = await this.options.token.get();
    } catch (error) {
      if (error instanceof AccessTokenUnavailable) return { kind: "fatal", error };
      const reason = error instanceof Error ? error.message : String(error);
      return {
        kind: "retry",
        error: new ShopifyApiError(`${path}: the access token could not be read (${reason})`, { status: 0, path }),
      };
    }
    await this.throttle.acquire();
    let released = false;
    const release = (response?: Response) => {
      if (released) return;
      released = true;
      this.throttle.release(
        response ? parseCallLimit(response.headers.get("x-shopify-shop-api-call-limit")) : undefined,
      );
    };
    this.stats.calls += 1;
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 30_000);
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, timeout]) : timeout;
    try {
      const response = await fetch(url, {
        headers: {
          "X-Shopify-Access-Token": token,
          Accept: "application/json",
        },
        signal,
      });
      release(response);
      const requestId = response.headers.get("x-request-id") ?? undefined;
      const bytes = await response.arrayBuffer();
      const text = () => utf8.decode(bytes);
      if (response.status === 429) {
        this.stats.throttled += 1;
        const retryAfter = Number(response.headers.get("retry-after") ?? "2") || 2;
        this.throttle.throttled(retryAfter);
        return {
          kind: "retry",
          error: this.error(response.status, requestId, text(), path),
          retryAfterMs: retryAfter * 1000,
        };
      }
      if (!response.ok) {
        const error = this.error(response.status, requestId, text(), path);
        return RETRYABLE_STATUS.has(response.status) ? { kind: "retry", error } : { kind: "fatal", error };
      }
      let body: T;
      try {
        body = await decode(bytes);
      } catch (error) {
        if (!(error instanceof RefetchError)) return { kind: "fatal", error: error as Error };
        // A cut-off or garbled body is a transport failure; the same request can be repeated.
        return {
          kind: "retry",
          error: new ShopifyApiError(`${error.message} from ${path}`, { status: response.status, requestId, path }),
        };
      }
      const dateHeader = response.headers.get("date");
      const date = dateHeader ? new Date(dateHeader) : undefined;
      return { kind: "ok", page: { body, next: nextLink(response.headers.get("link")), requestId, date } };
    } catch (error) {
      release();
      if (this.options.signal?.aborted) throw this.options.signal.reason;
      const reason =
        error instanceof Error
          ? error.name === "TimeoutError"
            ? "request timed out"
            : describeNetworkError(error)
          : String(error);
      return { kind: "retry", error: new ShopifyApiError(`${path}: ${reason}`, { status: 0, path }) };
    }
  }

  private error(status: number, requestId: string | undefined, text: string, path: string): ShopifyApiError {
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // keep the raw text
    }
    const detail =
      typeof body === "object" && body && "errors" in body
        ? JSON.stringify((body as { errors: unknown }).errors)
        : text.slice(0, 200);
    return new ShopifyApiError(`Shopify answered ${status} for ${path}: ${detail}`, { status, requestId, body, path });
  }
}

/** The `rel="next"` URL of a Link header, if any. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  // URLs may hold commas (fields=a,b), so links are found by their brackets, not by splitting on commas.
  for (const match of header.matchAll(/<([^>]*)>\s*;\s*rel="?([^",;]+)"?/g)) {
    if (match[2] === "next") return match[1];
  }
  return undefined;
}

function describeNetworkError(error: Error): string {
  const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? error.message;
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
