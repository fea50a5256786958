// When each generated order was placed and by which customer.
import { Rng, mix, rngFor } from "../rng.ts";
import { weekdayInZone } from "../time.ts";
import { DAY, S_ORDER_CUST, S_ORDER_TIME, startOfPeriod } from "./ids.ts";
import type { StoreParams } from "./ids.ts";

/** Relative order volume of a UTC day (weekly + seasonal shape + gentle growth). */
function dayWeight(p: StoreParams, dayStart: number, dayIndex: number): number {
  const wd = weekdayInZone(dayStart + 43200, p.timezone);
  const weekly = [0.85, 0.95, 0.97, 1.0, 1.05, 1.2, 1.12][wd];
  const d = new Date((dayStart + 43200) * 1000);
  const month = d.getUTCMonth();
  const dom = d.getUTCDate();
  const doy = Math.floor((Date.UTC(d.getUTCFullYear(), month, dom) - Date.UTC(d.getUTCFullYear(), 0, 1)) / 86400000);
  let seasonal = 1 + 0.3 * Math.cos((2 * Math.PI * (doy - 345)) / 365);
  if (month === 10 && dom >= 24) seasonal *= 1.8; // late-November peak
  if (month === 11 && dom <= 20) seasonal *= 1.35; // holiday shopping
  if (month === 6 && dom >= 10 && dom <= 17) seasonal *= 1.25; // mid-summer sale
  const growth = 0.85 + (0.3 * dayIndex) / Math.max(1, p.days);
  return weekly * seasonal * growth;
}

const HOUR_WEIGHTS = [
  0.2, 0.12, 0.08, 0.06, 0.06, 0.1, 0.25, 0.45, 0.7, 0.9, 1.0, 1.05, 1.1, 1.05, 1.0, 0.95, 0.95, 1.0, 1.15, 1.3, 1.35,
  1.2, 0.85, 0.45,
];

/**
 * Creation instants (epoch seconds, non-decreasing) of every generated order,
 * spread over the period with weekly and seasonal shape.
 */
export function generateOrderTimes(p: StoreParams): Uint32Array {
  const times = new Uint32Array(p.orders);
  if (p.orders === 0) return times;
  const start = startOfPeriod(p);
  const weights = new Float64Array(p.days);
  let total = 0;
  for (let d = 0; d < p.days; d++) {
    weights[d] = dayWeight(p, start + d * DAY, d);
    total += weights[d];
  }
  // largest-remainder allocation of orders to days
  const counts = new Int32Array(p.days);
  const rema: { d: number; r: number }[] = [];
  let assigned = 0;
  for (let d = 0; d < p.days; d++) {
    const exact = (p.orders * weights[d]) / total;
    counts[d] = Math.floor(exact);
    assigned += counts[d];
    rema.push({ d, r: exact - counts[d] });
  }
  rema.sort((a, b) => b.r - a.r || a.d - b.d);
  for (let k = 0; assigned < p.orders; k++, assigned++) counts[rema[k % rema.length].d]++;
  let cum = 0;
  for (const w of HOUR_WEIGHTS) cum += w;
  const cdf = new Float64Array(24);
  let acc = 0;
  for (let h = 0; h < 24; h++) {
    acc += HOUR_WEIGHTS[h];
    cdf[h] = acc / cum;
  }
  let i = 0;
  for (let d = 0; d < p.days; d++) {
    const n = counts[d];
    if (n === 0) continue;
    const rng = rngFor(p.seed, S_ORDER_TIME, d);
    const dayStart = start + d * DAY;
    const off = 0; // day shape is applied in UTC; hour profile is shifted by the shop offset below
    const local = new Float64Array(n);
    for (let k = 0; k < n; k++) {
      const r = rng.next();
      let h = 0;
      while (h < 23 && cdf[h] < r) h++;
      local[k] = h * 3600 + rng.int(0, 3599) + off;
    }
    local.sort();
    for (let k = 0; k < n; k++) {
      let t = dayStart + local[k];
      if (t >= p.nowSec) t = p.nowSec - 1;
      times[i++] = t;
    }
  }
  // guarantee monotonicity (clamping at the end may break it)
  for (let k = 1; k < times.length; k++) if (times[k] < times[k - 1]) times[k] = times[k - 1];
  return times;
}

/**
 * Assigns a customer index (or -1 for guests) to every order, sequentially so that a customer's
 * first order introduces them. Returns the assignment and the number of customers that ordered.
 */
export function assignCustomers(p: StoreParams): { assignment: Int32Array; introduced: number } {
  const assignment = new Int32Array(p.orders);
  const rng = new Rng(mix(p.seed, S_ORDER_CUST, 0, 0));
  const withOrders = Math.floor(p.customers * 0.85);
  const nonGuest = p.orders * 0.88;
  const pNew = nonGuest > 0 ? Math.min(0.95, withOrders / nonGuest) : 0;
  let next = 0;
  for (let i = 0; i < p.orders; i++) {
    const r = rng.next();
    if (p.customers === 0 || r < 0.12) {
      assignment[i] = -1;
      continue;
    }
    if (next === 0 || (next < withOrders && rng.next() < pNew)) {
      if (next < p.customers) {
        assignment[i] = next++;
        continue;
      }
    }
    // returning customer: skewed towards early (loyal) customers
    const u = rng.next();
    assignment[i] = Math.min(next - 1, Math.floor(next * u * u));
  }
  return { assignment, introduced: next };
}
