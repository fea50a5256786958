// Webhook delivery with Shopify's headers and HMAC, retries with backoff, duplicates and reordering.
import { createHmac, randomUUID } from "node:crypto";
import { Agent, request } from "undici";
import type { DeliveryRecord, WebhookRetryOptions } from "./types.ts";
import type { AppRecord } from "./auth.ts";

export const DEFAULT_RETRY: WebhookRetryOptions = { attempts: 8, baseDelayMs: 1000, timeoutMs: 5000 };

export function webhookHmac(secret: string, body: string): string {
  return createHmac("sha256", secret).update(body, "utf8").digest("base64");
}

export function topicMatches(subscribed: string[], topic: string): boolean {
  return subscribed.some((t) => t === topic || t === "*" || t.toLowerCase().replace("_", "/") === topic);
}

interface Job {
  record: DeliveryRecord;
  secret: string;
  apiVersion: string;
}

export class WebhookDeliverer {
  retry: WebhookRetryOptions;
  log: DeliveryRecord[] = [];
  private pending = 0;
  private waiters: (() => void)[] = [];
  private timers = new Set<NodeJS.Timeout>();
  private reorder: { job: Job; app: string }[] = [];
  private reorderTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private agent = new Agent({ connect: { rejectUnauthorized: false }, keepAliveTimeout: 1000 });
  private seq = 0;
  /** Window during which out-of-order deliveries are collected and then sent newest first. */
  reorderWindowMs = 40;

  constructor(retry?: Partial<WebhookRetryOptions>) {
    this.retry = { ...DEFAULT_RETRY, ...(retry ?? {}) };
  }

  private lastTrigger = 0n;

  /** Shopify's X-Shopify-Triggered-At: to the nanosecond, so two events of one millisecond differ. */
  private triggerTime(): string {
    const now = BigInt(Date.now()) * 1_000_000n;
    this.lastTrigger = now > this.lastTrigger ? now : this.lastTrigger + 1_000n;
    const ms = this.lastTrigger / 1_000_000n;
    const fraction = String(this.lastTrigger % 1_000_000_000n).padStart(9, "0");
    return new Date(Number(ms)).toISOString().replace(/\.\d{3}Z$/, `.${fraction}Z`);
  }

  /** Queues a delivery of `topic` for one app subscription. */
  enqueue(app: AppRecord, uri: string, topic: string, shopDomain: string, payload: unknown): DeliveryRecord[] {
    const body = JSON.stringify(payload);
    const webhookId = randomUUID();
    const eventId = randomUUID();
    const triggeredAt = this.triggerTime();
    const copies = app.duplicates ? 2 : 1;
    const out: DeliveryRecord[] = [];
    for (let c = 0; c < copies; c++) {
      const record: DeliveryRecord = {
        id: `d${++this.seq}`,
        webhookId,
        eventId,
        topic,
        shop: shopDomain,
        apiKey: app.apiKey,
        uri,
        triggeredAt,
        body,
        attempts: [],
        state: "pending",
        duplicate: c > 0,
      };
      this.log.push(record);
      out.push(record);
      const job: Job = { record, secret: app.apiSecret, apiVersion: app.apiVersion };
      this.pending++;
      if (app.outOfOrder) {
        this.reorder.push({ job, app: app.apiKey });
        if (!this.reorderTimer) {
          this.reorderTimer = setTimeout(() => this.flushReorder(), this.reorderWindowMs);
        }
      } else {
        queueMicrotask(() => void this.attempt(job));
      }
    }
    return out;
  }

  private flushReorder(): void {
    this.reorderTimer = null;
    const batch = this.reorder.reverse();
    this.reorder = [];
    // One after another, so that they arrive newest first (retries still follow their own timers).
    void (async () => {
      for (const { job } of batch) await this.attempt(job);
    })();
  }

  private async attempt(job: Job): Promise<void> {
    if (this.closed) return this.finish(job, "failed");
    const r = job.record;
    const started = performance.now();
    const at = new Date().toISOString();
    let status: number | null = null;
    let error: string | undefined;
    const ac = new AbortController();
    const timer = setTimeout(() => ac.abort(), this.retry.timeoutMs);
    try {
      const res = await request(r.uri, {
        method: "POST",
        dispatcher: this.agent,
        signal: ac.signal,
        headers: {
          "content-type": "application/json",
          "x-shopify-topic": r.topic,
          "x-shopify-shop-domain": r.shop,
          "x-shopify-api-version": job.apiVersion,
          "x-shopify-webhook-id": r.webhookId,
          "x-shopify-event-id": r.eventId,
          "x-shopify-triggered-at": r.triggeredAt,
          "x-shopify-hmac-sha256": webhookHmac(job.secret, r.body),
          "user-agent": "Shopify-Captain-Hook",
        },
        body: r.body,
      });
      status = res.statusCode;
      await res.body.dump().catch(() => undefined);
    } catch (e) {
      error = ac.signal.aborted ? `timeout after ${this.retry.timeoutMs} ms` : (e as Error).message;
    } finally {
      clearTimeout(timer);
    }
    r.attempts.push({ at, status, ...(error ? { error } : {}), durationMs: Math.round(performance.now() - started) });
    if (status !== null && status >= 200 && status < 300) return this.finish(job, "delivered");
    if (r.attempts.length >= this.retry.attempts || this.closed) return this.finish(job, "failed");
    const delay = this.retry.baseDelayMs * 2 ** (r.attempts.length - 1);
    const t = setTimeout(() => {
      this.timers.delete(t);
      void this.attempt(job);
    }, delay);
    this.timers.add(t);
  }

  private finish(job: Job, state: "delivered" | "failed"): void {
    job.record.state = state;
    this.pending--;
    if (this.pending === 0) {
      const w = this.waiters;
      this.waiters = [];
      for (const f of w) f();
    }
  }

  /** Resolves when every queued delivery has been delivered or has failed for good. */
  flush(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.reorderTimer) clearTimeout(this.reorderTimer);
    for (const { job } of this.reorder) this.finish(job, "failed");
    this.reorder = [];
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
    await this.agent.destroy().catch(() => undefined);
  }
}
