// Money as integer ten-thousandths (the database's NUMERIC(19,4)), so sums are exact: JavaScript
// numbers while every amount and partial sum is a safe integer (any amount below 10^11, so every
// real order), BigInt beyond. Digits past the fourth decimal are dropped, per amount.

/** An amount's units as a number, or null when it could leave the safe integers. */
function smallUnits(amount: string): number | null {
  const negative = amount.charCodeAt(0) === 45; // "-"
  const dot = amount.indexOf(".");
  const whole = amount.slice(negative ? 1 : 0, dot < 0 ? amount.length : dot);
  if (whole.length > 11) return null;
  const fraction = dot < 0 ? "" : amount.slice(dot + 1, dot + 5);
  const units = Number(whole || "0") * 10000 + (fraction ? Number(fraction.padEnd(4, "0")) : 0);
  return negative ? -units : units;
}

function bigUnits(amount: string): bigint {
  const negative = amount.startsWith("-");
  const [whole, fraction = ""] = (negative ? amount.slice(1) : amount).split(".");
  const units = BigInt(whole || "0") * 10000n + BigInt((fraction + "0000").slice(0, 4));
  return negative ? -units : units;
}

/** A running exact sum of decimal strings. */
export class MoneySum {
  private small = 0;
  private big: bigint | null = null;

  /** Adds amount × times (times a whole number, 1 unless given). */
  add(amount: string, times = 1): this {
    if (this.big === null) {
      const units = smallUnits(amount);
      if (units !== null) {
        const next = this.small + units * times;
        if (Number.isSafeInteger(next) && Number.isSafeInteger(units * times)) {
          this.small = next;
          return this;
        }
      }
      this.big = BigInt(this.small);
    }
    this.big += bigUnits(amount) * BigInt(times);
    return this;
  }

  /** Subtracts amount. */
  sub(amount: string): this {
    return this.add(amount, -1);
  }

  toString(): string {
    if (this.big !== null) {
      const negative = this.big < 0n;
      const abs = negative ? -this.big : this.big;
      const text = `${abs / 10000n}.${(abs % 10000n).toString().padStart(4, "0")}`;
      return negative ? `-${text}` : text;
    }
    const abs = Math.abs(this.small);
    const text = `${Math.floor(abs / 10000)}.${String(abs % 10000).padStart(4, "0")}`;
    return this.small < 0 ? `-${text}` : text;
  }
}

export function sumMoney(amounts: string[]): string {
  const sum = new MoneySum();
  for (const amount of amounts) sum.add(amount);
  return sum.toString();
}
