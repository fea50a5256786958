// Id-ordered typed-array indexes over a shop's records: what paging, counting and the aggregates
// read without materialising a record. Base records come first, created ones are appended.

export const F_DELETED = 1,
  F_CANCELLED = 2,
  F_CLOSED = 4,
  F_TEST = 8;

export const FINANCIAL_STATUSES = [
  "paid",
  "pending",
  "refunded",
  "partially_refunded",
  "voided",
  "authorized",
  "partially_paid",
  "unpaid",
];
export const FULFILLMENT_STATUSES = [null, "fulfilled", "partial", "restocked"];

export function financialCode(status: string): number {
  const k = FINANCIAL_STATUSES.indexOf(status);
  return k < 0 ? 0 : k;
}
export function fulfillmentCode(status: string | null): number {
  const k = FULFILLMENT_STATUSES.indexOf(status);
  return k < 0 ? 0 : k;
}

type TypedArray = Float64Array | Uint32Array | Uint8Array | Int32Array;
/** Copies an array into one of the grown capacity. */
type Grow = <T extends TypedArray>(a: T) => T;

/** Growable id-ordered index over records (base records first, created ones appended). */
export class RecordIndex {
  n = 0;
  ids: Float64Array;
  created: Uint32Array;
  updated: Uint32Array;
  flags: Uint8Array;
  constructor(cap: number) {
    cap = Math.max(cap, 16);
    this.ids = new Float64Array(cap);
    this.created = new Uint32Array(cap);
    this.updated = new Uint32Array(cap);
    this.flags = new Uint8Array(cap);
  }
  protected grow(): void {
    const cap = this.ids.length * 2;
    const grow: Grow = (a) => {
      const b = new (a.constructor as new (n: number) => typeof a)(cap);
      b.set(a);
      return b;
    };
    this.ids = grow(this.ids);
    this.created = grow(this.created);
    this.updated = grow(this.updated);
    this.flags = grow(this.flags);
    this.growExtra(grow);
  }
  protected growExtra(_grow: Grow): void {}
  push(id: number, created: number, updated: number, flags: number): number {
    if (this.n === this.ids.length) this.grow();
    const i = this.n++;
    this.ids[i] = id;
    this.created[i] = created;
    this.updated[i] = updated;
    this.flags[i] = flags;
    return i;
  }
  /** First index whose id is > id. */
  upperBound(id: number): number {
    let lo = 0,
      hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ids[mid] <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  /** First index whose id is >= id. */
  lowerBound(id: number): number {
    let lo = 0,
      hi = this.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.ids[mid] < id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  indexOf(id: number): number {
    const k = this.lowerBound(id);
    return k < this.n && this.ids[k] === id ? k : -1;
  }
  lastId(): number {
    return this.n > 0 ? this.ids[this.n - 1] : 0;
  }
}

export class OrderIndex extends RecordIndex {
  processed: Uint32Array;
  customer: Int32Array;
  total: Int32Array;
  refunded: Int32Array;
  /** Index into FINANCIAL_STATUSES. */
  financial: Uint8Array;
  /** Index into FULFILLMENT_STATUSES. */
  fulfillment: Uint8Array;
  constructor(cap: number) {
    super(cap);
    const c = this.ids.length;
    this.processed = new Uint32Array(c);
    this.customer = new Int32Array(c);
    this.total = new Int32Array(c);
    this.refunded = new Int32Array(c);
    this.financial = new Uint8Array(c);
    this.fulfillment = new Uint8Array(c);
  }
  protected growExtra(grow: Grow): void {
    this.processed = grow(this.processed);
    this.customer = grow(this.customer);
    this.total = grow(this.total);
    this.refunded = grow(this.refunded);
    this.financial = grow(this.financial);
    this.fulfillment = grow(this.fulfillment);
  }
}

export class CustomerIndex extends RecordIndex {
  ordersCount: Int32Array;
  spent: Float64Array;
  lastOrder: Int32Array;
  constructor(cap: number) {
    super(cap);
    const c = this.ids.length;
    this.ordersCount = new Int32Array(c);
    this.spent = new Float64Array(c);
    this.lastOrder = new Int32Array(c).fill(-1);
  }
  protected growExtra(grow: Grow): void {
    this.ordersCount = grow(this.ordersCount);
    this.spent = grow(this.spent);
    const old = this.lastOrder.length;
    this.lastOrder = grow(this.lastOrder);
    this.lastOrder.fill(-1, old);
  }
}
