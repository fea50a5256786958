// Leaky-bucket rate limiting as the REST Admin API applies it, per (app, shop).
import { performance } from "node:perf_hooks";
import type { PlanName } from "./types.ts";

export interface BucketPreset {
  size: number;
  /** Requests leaked per second. */
  rate: number;
}

export const PRESETS: Record<"standard" | "advanced" | "plus", BucketPreset> = {
  standard: { size: 40, rate: 2 },
  advanced: { size: 40, rate: 4 },
  plus: { size: 400, rate: 20 },
};

/** Bucket preset of a shop plan; null means no limit. */
export function presetFor(plan: PlanName | string): BucketPreset | null {
  switch (plan) {
    case "basic":
    case "shopify":
    case "standard":
      return PRESETS.standard;
    case "advanced":
      return PRESETS.advanced;
    case "shopify_plus":
    case "plus":
      return PRESETS.plus;
    case "unlimited":
      return null;
    default:
      return PRESETS.standard;
  }
}

/**
 * Arrival-time tolerance: a request may arrive up to this many milliseconds before the bucket has
 * leaked enough room for it (network and timer jitter), so a client pacing itself at exactly the
 * leak rate is never throttled.
 */
export const JITTER_TOLERANCE_MS = 20;

export interface TakeResult {
  ok: boolean;
  /** Requests currently in the bucket (after this request when ok). */
  used: number;
  size: number;
  /** Seconds until one request fits again (only when !ok). */
  retryAfter: number;
}

export class LeakyBucket {
  size: number;
  rate: number;
  level = 0;
  last: number;
  clock: () => number;
  constructor(preset: BucketPreset, clock: () => number = () => performance.now()) {
    this.size = preset.size;
    this.rate = preset.rate;
    this.clock = clock;
    this.last = clock();
  }
  private leak(now: number): void {
    const dt = Math.max(0, now - this.last);
    this.level = Math.max(0, this.level - (dt * this.rate) / 1000);
    this.last = now;
  }
  /** Current fill level without taking a request. */
  peek(): number {
    this.leak(this.clock());
    return this.level;
  }
  take(): TakeResult {
    const now = this.clock();
    this.leak(now);
    const tolerance = (JITTER_TOLERANCE_MS * this.rate) / 1000;
    if (this.level + 1 <= this.size + tolerance + 1e-9) {
      this.level = Math.min(this.level + 1, this.size + tolerance);
      return { ok: true, used: Math.min(this.size, Math.ceil(this.level - 1e-9)), size: this.size, retryAfter: 0 };
    }
    const wait = (this.level + 1 - this.size) / this.rate;
    return { ok: false, used: this.size, size: this.size, retryAfter: Math.max(0.1, Math.ceil(wait * 10) / 10) };
  }
  /** Fills the bucket completely (used by the 429-burst fault). */
  fill(): void {
    this.leak(this.clock());
    this.level = this.size;
  }
  setPreset(p: BucketPreset): void {
    this.leak(this.clock());
    this.size = p.size;
    this.rate = p.rate;
    this.level = Math.min(this.level, p.size);
  }
}

export function throttledBody(rate: number): string {
  return JSON.stringify({
    errors: `Exceeded ${rate} calls per second for api client. Reduce request rates to resume uninterrupted service.`,
  });
}
