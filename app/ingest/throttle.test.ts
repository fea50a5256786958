import { describe, expect, it } from "vitest";
import { LeakyBucketThrottle, parseCallLimit, rateForPlan } from "./throttle.ts";
import type { BucketReading } from "./throttle.ts";

// Everything here runs on virtual time: the throttle gets an injected `now` and `sleep`, and a small
// model of Shopify's REST leaky bucket stands in for the API. No test depends on wall-clock timing.

/**
 * A deterministic virtual clock with a timer queue. `sleep(ms)` parks the caller until the clock has
 * been advanced to `now + ms`; `run()` advances the clock to the earliest pending timer whenever every
 * other piece of work (promise continuations) has settled, so concurrent "streams" interleave exactly
 * as they would in real time, only instantly.
 */
class VirtualClock {
  t = 0;
  private timers: { at: number; seq: number; resolve: () => void }[] = [];
  private seq = 0;

  readonly now = (): number => this.t;

  readonly sleep = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      this.timers.push({ at: this.t + Math.max(0, ms), seq: this.seq++, resolve });
    });

  async run<T>(work: Promise<T>): Promise<T> {
    let settled = false;
    work.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      // Let every runnable continuation finish before time moves on.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (settled) return work;
      if (this.timers.length === 0) throw new Error("deadlock: work pending but no timer scheduled");
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift()!;
      this.t = Math.max(this.t, next.at);
      next.resolve();
    }
  }
}

interface BucketResponse {
  status: 200 | 429;
  reading: BucketReading;
  /** Seconds, as Shopify's Retry-After header (only on 429). */
  retryAfter?: number;
}

/**
 * Shopify's REST leaky bucket for one (app, store): the level leaks continuously at `rate` per second,
 * every accepted request adds 1, and a request that does not fit is rejected with 429 (an overflow).
 * The level is reported as an integer, like X-Shopify-Shop-Api-Call-Limit ("32/40").
 */
class ShopifyBucketModel {
  level = 0;
  peak = 0;
  accepted = 0;
  overflows = 0;
  readonly size: number;
  readonly rate: number;
  private last: number;
  private readonly clock: VirtualClock;
  private readonly report: (level: number) => number;

  constructor(
    size: number,
    rate: number,
    clock: VirtualClock,
    report: (level: number) => number = (level) => Math.ceil(level - 1e-9),
  ) {
    this.size = size;
    this.rate = rate;
    this.clock = clock;
    this.report = report;
    this.last = clock.now();
  }

  request(): BucketResponse {
    const at = this.clock.now();
    this.level = Math.max(0, this.level - ((at - this.last) / 1000) * this.rate);
    this.last = at;
    if (this.level + 1 > this.size + 1e-9) {
      this.overflows += 1;
      return { status: 429, reading: { used: this.size, size: this.size }, retryAfter: 2 };
    }
    this.level += 1;
    this.accepted += 1;
    this.peak = Math.max(this.peak, this.level);
    return { status: 200, reading: { used: Math.min(this.size, this.report(this.level)), size: this.size } };
  }
}

interface SimulationOptions {
  size: number;
  rate: number;
  /** The throttle's starting assumption; defaults to the true rate (a correctly configured plan). */
  initialRate?: number;
  requests: number;
  streams?: number;
  /** The request reaches Shopify this long after acquire() returns ... */
  arrivalMs?: number;
  /** ... and its response (with the call-limit header) comes back this long after acquire(). */
  responseMs?: number;
  report?: (level: number) => number;
  /** Extra response latency per request (ms), for jitter experiments; defaults to none. */
  jitterMs?: (index: number) => number;
}

interface SimulationResult {
  seconds: number;
  overflows: number;
  accepted: number;
  peakLevel: number;
  learnedRate: number;
  learnedSize: number;
  /** Every change of the throttle's assumed rate, in order, with the virtual time (ms) it happened. */
  rateChanges: { at: number; from: number; to: number }[];
  /** Lower bound on the run time: the bucket's burst plus leak rate, and each stream's round trips. */
  floorSeconds: number;
}

/** Runs `requests` successful calls through acquire → Shopify → release, as rest-client.ts does. */
async function simulate(options: SimulationOptions): Promise<SimulationResult> {
  const { size, rate, requests, streams = 1, arrivalMs = 50, responseMs = 100 } = options;
  const clock = new VirtualClock();
  const bucket = new ShopifyBucketModel(size, rate, clock, options.report);
  const throttle = new LeakyBucketThrottle({
    initialRate: options.initialRate ?? rate,
    now: clock.now,
    sleep: clock.sleep,
  });

  let issued = 0;
  let finishedAt = 0;
  const rateChanges: SimulationResult["rateChanges"] = [];
  let rate0 = throttle.rate;
  const noteRate = () => {
    if (throttle.rate !== rate0) rateChanges.push({ at: clock.now(), from: rate0, to: throttle.rate });
    rate0 = throttle.rate;
  };
  let sent = 0;
  const call = async () => {
    for (;;) {
      await throttle.acquire();
      const jitter = options.jitterMs?.(sent++) ?? 0;
      await clock.sleep(arrivalMs + jitter / 2);
      const response = bucket.request();
      await clock.sleep(responseMs - arrivalMs + jitter / 2);
      throttle.release(response.reading);
      noteRate();
      if (response.status === 200) return;
      throttle.throttled(response.retryAfter ?? 2); // then retried, as the REST client does
      noteRate();
    }
  };
  const stream = async () => {
    while (issued < requests) {
      issued += 1;
      await call();
      finishedAt = clock.now();
    }
  };
  await clock.run(Promise.all(Array.from({ length: streams }, stream)));

  const floorSeconds = Math.max(
    Math.max(0, requests - size) / rate,
    (Math.ceil(requests / streams) * responseMs) / 1000,
  );
  return {
    seconds: finishedAt / 1000,
    overflows: bucket.overflows,
    accepted: bucket.accepted,
    peakLevel: bucket.peak,
    learnedRate: throttle.rate,
    learnedSize: throttle.size,
    rateChanges,
    floorSeconds,
  };
}

const PRESETS = {
  standard: { size: 40, rate: 2 },
  advanced: { size: 40, rate: 4 },
  plus: { size: 400, rate: 20 },
} as const;

describe("parseCallLimit", () => {
  it("parses Shopify's X-Shopify-Shop-Api-Call-Limit header", () => {
    expect(parseCallLimit("39/40")).toEqual({ used: 39, size: 40 });
    expect(parseCallLimit("1/400")).toEqual({ used: 1, size: 400 });
    expect(parseCallLimit(" 0 / 40 ")).toEqual({ used: 0, size: 40 });
  });

  it("rejects a missing or malformed header", () => {
    for (const header of [null, "", "39", "39/", "/40", "abc", "39/40/2", "39.5/40", "-1/40", "39 of 40", "x39/40"]) {
      expect(parseCallLimit(header), String(header)).toBeUndefined();
    }
  });
});

describe("rateForPlan", () => {
  it("maps shop.json plan_name values to the documented REST leak rates", () => {
    expect(rateForPlan("basic")).toBe(2);
    expect(rateForPlan("shopify")).toBe(2);
    expect(rateForPlan("advanced")).toBe(4);
    expect(rateForPlan("unlimited")).toBe(4); // the legacy plan_name of Advanced Shopify
    expect(rateForPlan("shopify_plus")).toBe(20);
    expect(rateForPlan("plus_partner_sandbox")).toBe(20);
  });

  it('maps "enterprise" to the Plus rate: shop.json reports a Shopify Plus store as plan_name "enterprise"', () => {
    // The shop.json example in Shopify's REST reference: "plan_display_name": "Shopify Plus",
    // "plan_name": "enterprise". Plus stores leak at 20/s (Commerce Components at 40/s).
    expect(rateForPlan("enterprise")).toBeGreaterThanOrEqual(20);
  });

  it("falls back to the standard rate for unknown or missing plans", () => {
    expect(rateForPlan("partner_test")).toBe(2);
    expect(rateForPlan("something_new")).toBe(2);
    expect(rateForPlan(null)).toBe(2);
    expect(rateForPlan(undefined)).toBe(2);
  });
});

describe("LeakyBucketThrottle primitives (fake clock, sleep advances it)", () => {
  function fakeTime() {
    const time = { t: 0, slept: [] as number[] };
    return {
      time,
      now: () => time.t,
      sleep: async (ms: number) => {
        time.slept.push(ms);
        time.t += ms;
      },
    };
  }

  it("lets a fresh throttle burst up to size - reserve, then paces at the leak rate", async () => {
    const { time, now, sleep } = fakeTime();
    const throttle = new LeakyBucketThrottle({ now, sleep });
    for (let i = 0; i < 39; i++) await throttle.acquire();
    expect(time.t).toBe(0);
    expect(time.slept).toEqual([]);
    time.t = 100;
    for (let i = 0; i < 39; i++) throttle.release({ used: 39, size: 40 });
    // the 40th would take the reserved slot: it waits for one request to leak at 2/s
    await throttle.acquire();
    expect(time.t).toBe(600);
  });

  it("throttled(2) blocks acquire for 2 s of simulated time", async () => {
    const { time, now, sleep } = fakeTime();
    const throttle = new LeakyBucketThrottle({ now, sleep });
    time.t = 10_000;
    throttle.throttled(2);
    await throttle.acquire();
    expect(time.t).toBeGreaterThanOrEqual(12_000);
    expect(time.t).toBe(12_000); // after 2 s at 2/s the full bucket (40) is at 36: room again
    expect(throttle.rate).toBe(2); // already the lowest tier
  });

  it("throttled() steps the assumed rate down one tier", () => {
    const { now, sleep } = fakeTime();
    const throttle = new LeakyBucketThrottle({ initialRate: 20, now, sleep });
    throttle.throttled(2);
    expect(throttle.rate).toBe(4);
    throttle.throttled(2);
    expect(throttle.rate).toBe(2);
  });

  it("release() adopts the bucket size and level from the header", () => {
    const { time, now, sleep } = fakeTime();
    const throttle = new LeakyBucketThrottle({ initialRate: 20, now, sleep });
    throttle.release({ used: 100, size: 400 });
    expect(throttle.size).toBe(400);
    expect(throttle.estimatedLevel()).toBe(100);
    time.t += 1000;
    expect(throttle.estimatedLevel()).toBe(80);
    time.t += 60_000;
    expect(throttle.estimatedLevel()).toBe(0);
  });

  it("does not lower the rate on evidence that is consistent with it (integer call-limit header)", () => {
    // An advanced store (4/s, 40). Over 2.15 s nine requests are added and 8.6 leak: the true level goes
    // from 37.8 to 38.2, which the header reports (as whole requests) as 38 and then 39. The observed leak
    // is (38 + 9 - 39) / 2.15 = 3.72/s, which is within one request (the header's resolution) of 4/s.
    const { time, now, sleep } = fakeTime();
    const throttle = new LeakyBucketThrottle({ initialRate: 4, now, sleep });
    let level = 37.8;
    throttle.release({ used: Math.ceil(level), size: 40 });
    for (let i = 1; i <= 9; i++) {
      time.t = (2150 * i) / 9;
      level += 1 - 4 * (2.15 / 9);
      throttle.release({ used: Math.ceil(level - 1e-9), size: 40 });
    }
    expect(Math.ceil(level - 1e-9)).toBe(39);
    expect(throttle.rate).toBe(4);
  });

  it("waits for the estimated level to leak below size - reserve", async () => {
    const { time, now, sleep } = fakeTime();
    const throttle = new LeakyBucketThrottle({ initialRate: 2, now, sleep });
    await throttle.acquire();
    throttle.release({ used: 40, size: 40 });
    await throttle.acquire(); // needs level <= 38: two requests must leak at 2/s
    expect(time.t).toBe(1000);
  });
});

describe("LeakyBucketThrottle against a model of Shopify's leaky bucket", () => {
  const N = 300;

  it.each(Object.entries(PRESETS))(
    "%s: 300 sequential requests, no overflow, within 10%% of the floor",
    async (_name, preset) => {
      const result = await simulate({ ...preset, requests: N });
      expect(result.overflows).toBe(0);
      expect(result.accepted).toBe(N);
      expect(result.peakLevel).toBeLessThanOrEqual(preset.size);
      expect(result.learnedSize).toBe(preset.size);
      expect(result.seconds).toBeGreaterThanOrEqual(result.floorSeconds);
      expect(result.seconds).toBeLessThanOrEqual(result.floorSeconds * 1.1);
    },
  );

  it("the floors: (300 - 40) / 2 = 130 s standard, (300 - 40) / 4 = 65 s advanced, 300 round trips on Plus", async () => {
    expect((await simulate({ ...PRESETS.standard, requests: N })).floorSeconds).toBe(130);
    expect((await simulate({ ...PRESETS.advanced, requests: N })).floorSeconds).toBe(65);
    // A sequential client with 100 ms round trips cannot exceed 10/s, so it never fills a 20/s bucket.
    expect((await simulate({ ...PRESETS.plus, requests: N })).floorSeconds).toBe(30);
  });

  it("plus: 2000 requests over 4 concurrent streams are paced at 20/s without overflow", async () => {
    const result = await simulate({ ...PRESETS.plus, requests: 2000, streams: 4 });
    expect(result.floorSeconds).toBe(80); // (2000 - 400) / 20; the streams alone could do 40/s
    expect(result.overflows).toBe(0);
    expect(result.peakLevel).toBeGreaterThan(390); // it does use the burst
    expect(result.learnedRate).toBe(20);
    expect(result.seconds).toBeLessThanOrEqual(result.floorSeconds * 1.1);
  });

  // Once the rate is right, the estimate should stay put: the learner may only lower the rate on exact
  // evidence (throttle.ts: "it equals the true rate only when the bucket never ran dry").
  it.each([
    ["standard", PRESETS.standard, N, 1],
    ["advanced", PRESETS.advanced, N, 1],
    ["plus", PRESETS.plus, 2000, 4],
    ["standard, 3 streams", PRESETS.standard, 200, 3],
    ["advanced, 3 streams", PRESETS.advanced, 200, 3],
  ] as const)("correctly configured (%s): the assumed rate never changes", async (_name, preset, requests, streams) => {
    const result = await simulate({ ...preset, requests, streams });
    expect(result.rateChanges).toEqual([]);
    expect(result.learnedRate).toBe(preset.rate);
  });

  it("misconfigured: assumes 2/s on a 20/s (Plus) store that is pushed hard, learns 20/s", async () => {
    const result = await simulate({ ...PRESETS.plus, initialRate: 2, requests: 2000, streams: 4 });
    expect(result.overflows).toBe(0);
    expect(result.learnedRate).toBe(20);
    expect(result.learnedSize).toBe(400);
    expect(result.rateChanges).toEqual([{ at: expect.any(Number), from: 2, to: 20 }]);
    expect(result.rateChanges[0].at).toBeLessThan(5_000);
    expect(result.seconds).toBeLessThanOrEqual(result.floorSeconds * 1.25);
  });

  it("misconfigured: assumes 2/s on a 20/s (Plus) store, 300 sequential requests stay latency-bound", async () => {
    const result = await simulate({ ...PRESETS.plus, initialRate: 2, requests: N });
    expect(result.overflows).toBe(0);
    expect(result.floorSeconds).toBe(30); // 300 round trips of 100 ms; the bucket never fills
    expect(result.seconds).toBeLessThanOrEqual(result.floorSeconds * 1.1);
    // The bucket never holds more than one request, so only a lower bound of the leak is observable
    // (10/s, the client's own pace): the estimate rises to the 4/s tier, not to 20/s, which is safe.
    expect(result.learnedRate).toBe(4);
  });

  it("misconfigured: assumes 4/s on a 2/s (standard) store, learns 2/s without overflowing", async () => {
    const result = await simulate({ ...PRESETS.standard, initialRate: 4, requests: N });
    expect(result.overflows).toBe(0);
    expect(result.learnedRate).toBe(2);
    expect(result.rateChanges).toEqual([{ at: expect.any(Number), from: 4, to: 2 }]);
    expect(result.rateChanges[0].at).toBeLessThan(10_000);
    expect(result.seconds).toBeGreaterThanOrEqual(result.floorSeconds);
    expect(result.seconds).toBeLessThanOrEqual(result.floorSeconds * 1.25);
  });

  it.each([
    ["standard", PRESETS.standard, undefined],
    ["advanced", PRESETS.advanced, undefined],
    ["plus", PRESETS.plus, undefined],
    ["standard, assuming 4/s", PRESETS.standard, 4],
    ["plus, assuming 2/s", PRESETS.plus, 2],
  ] as const)("three concurrent streams never exceed the bucket (%s)", async (_name, preset, initialRate) => {
    const requests = preset.size * 5;
    const result = await simulate({ ...preset, initialRate, requests, streams: 3 });
    expect(result.overflows).toBe(0);
    expect(result.peakLevel).toBeLessThanOrEqual(preset.size);
    expect(result.accepted).toBe(requests);
    expect(result.learnedRate).toBe(preset.rate);
    expect(result.seconds).toBeLessThanOrEqual(result.floorSeconds * 1.25);
  });

  it("does not overflow when Shopify rounds the reported level down instead of up", async () => {
    for (const preset of Object.values(PRESETS)) {
      for (const streams of [1, 3]) {
        const result = await simulate({ ...preset, requests: preset.size * 5, streams, report: Math.floor });
        expect(result.overflows).toBe(0);
      }
    }
  });

  it("does not overflow with variable response latency (deterministic pseudo-random jitter up to 400 ms)", async () => {
    let seed = 42;
    const jitterMs = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 400;
    for (const preset of Object.values(PRESETS)) {
      for (const streams of [1, 3]) {
        const result = await simulate({ ...preset, requests: preset.size * 5, streams, jitterMs });
        expect(result.overflows).toBe(0);
        expect(result.peakLevel).toBeLessThanOrEqual(preset.size);
      }
    }
  });
});
