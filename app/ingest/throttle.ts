// A client-side model of Shopify's REST leaky bucket, fed by X-Shopify-Shop-Api-Call-Limit.
// It paces requests so the bucket never overflows (no 429 in normal operation) while keeping it
// nearly full, which is the fastest a store's API allows. The leak rate is not in any header, so it
// starts from the plan's documented rate and is re-estimated from how fast the reported level drains.

const KNOWN_RATES = [2, 4, 20, 40, 200]; // requests/second: standard, advanced, plus, enterprise tiers

export interface BucketReading {
  used: number;
  size: number;
}

export function parseCallLimit(header: string | null): BucketReading | undefined {
  const match = header?.match(/^\s*(\d+)\s*\/\s*(\d+)\s*$/);
  if (!match) return undefined;
  return { used: Number(match[1]), size: Number(match[2]) };
}

export interface ThrottleOptions {
  /** Leak rate to assume before any evidence (requests/second). */
  initialRate?: number;
  /** Slots kept free to absorb timing noise. */
  reserve?: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

interface RateWindow {
  at: number;
  used: number;
  minUsed: number;
}

export class LeakyBucketThrottle {
  rate: number;
  size = 40;
  private level = 0;
  private levelAt: number;
  private inFlight = 0;
  private blockedUntil = 0;
  private window: RateWindow | undefined;
  private countedSinceSample = 0;
  private readonly reserve: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(options: ThrottleOptions = {}) {
    this.rate = options.initialRate ?? 2;
    this.reserve = options.reserve ?? 1;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
    this.levelAt = this.now();
  }

  /** Estimated bucket level right now, excluding requests still in flight. */
  estimatedLevel(at = this.now()): number {
    return Math.max(0, this.level - ((at - this.levelAt) / 1000) * this.rate);
  }

  /** Waits until one more request fits in the bucket, then reserves its slot. */
  async acquire(): Promise<void> {
    for (;;) {
      const now = this.now();
      if (now < this.blockedUntil) {
        await this.sleep(this.blockedUntil - now);
        continue;
      }
      const projected = this.estimatedLevel(now) + this.inFlight + 1;
      const limit = this.size - this.reserve;
      if (projected <= limit) break;
      await this.sleep(Math.max(1, ((projected - limit) / this.rate) * 1000));
    }
    this.inFlight += 1;
  }

  /** Releases a slot after a response (or a failure before one). */
  release(reading?: BucketReading): void {
    this.inFlight = Math.max(0, this.inFlight - 1);
    if (!reading) return;
    const at = this.now();
    this.size = reading.size;
    this.level = reading.used;
    this.levelAt = at;
    this.countedSinceSample += 1;
    this.learnRate(at, reading.used);
  }

  /** A 429: the bucket is full; nothing goes out before Retry-After. */
  throttled(retryAfterSeconds: number): void {
    const at = this.now();
    this.level = this.size;
    this.levelAt = at;
    this.blockedUntil = Math.max(this.blockedUntil, at + retryAfterSeconds * 1000);
    this.window = undefined;
    this.countedSinceSample = 0;
    // Overflowing means the estimate ran ahead of the store: step down one tier.
    const lower = [...KNOWN_RATES].reverse().find((rate) => rate < this.rate);
    if (lower) this.rate = lower;
  }

  // Leak observed over a window = level at its start + requests counted since - level now, give or
  // take one for the header's whole numbers. Its lower bound may always raise the estimate (the true
  // rate is at least that, even if the bucket ran dry); its upper bound may lower it, but only when
  // the bucket never ran dry, the one case in which the observation is the true rate.
  private learnRate(at: number, used: number): void {
    if (!this.window) {
      this.window = { at, used, minUsed: used };
      this.countedSinceSample = 0;
      return;
    }
    this.window.minUsed = Math.min(this.window.minUsed, used);
    const seconds = (at - this.window.at) / 1000;
    if (seconds < 2) return;
    const leaked = this.window.used + this.countedSinceSample - used;
    const atLeast = tierAtMost(((leaked - 1) / seconds) * 1.05);
    const atMost = tierAtMost((leaked + 1) / seconds);
    if (atLeast && atLeast > this.rate) this.rate = atLeast;
    else if (this.window.minUsed >= 2 && atMost && atMost < this.rate) this.rate = atMost;
    this.window = { at, used, minUsed: used };
    this.countedSinceSample = 0;
  }
}

/** The fastest documented tier not above `observed`. */
function tierAtMost(observed: number): number | undefined {
  return [...KNOWN_RATES].reverse().find((rate) => rate <= observed);
}

/** The documented REST leak rate for a shop's plan (`plan_name` in shop.json). */
export function rateForPlan(planName: string | null | undefined): number {
  switch (planName) {
    case "advanced":
    case "unlimited":
      return 4;
    case "shopify_plus":
    case "plus":
    case "enterprise":
    case "plus_partner_sandbox":
      return 20;
    default:
      return 2;
  }
}
