// Fault injection: per shop or global, optionally limited to a path prefix and a count.
import type { FaultInfo, FaultSpec } from "./types.ts";
import { SimError } from "./store.ts";

const KINDS = new Set(["status", "timeout", "reset", "slow", "truncate", "malformed", "rate_limit", "revoke_token"]);

export class FaultRegistry {
  private list: FaultInfo[] = [];
  private seq = 0;

  add(spec: FaultSpec, normalizeShop: (s: string) => string): FaultInfo {
    if (!KINDS.has(spec.kind))
      throw new SimError(422, { errors: { kind: [`must be one of ${[...KINDS].join(", ")}`] } });
    if (spec.kind === "status" && spec.status !== undefined && (spec.status < 400 || spec.status > 599)) {
      throw new SimError(422, { errors: { status: ["must be an HTTP error status"] } });
    }
    const f: FaultInfo = {
      ...spec,
      shop: spec.shop ? normalizeShop(spec.shop) : undefined,
      id: ++this.seq,
      remaining: spec.count === undefined || spec.count === null ? null : Math.max(0, Math.floor(spec.count)),
      hits: 0,
    };
    if (f.kind === "status" && f.status === undefined) f.status = 500;
    if (f.kind === "slow" && f.delayMs === undefined) f.delayMs = 2000;
    this.list.push(f);
    return f;
  }

  clear(): void {
    this.list = [];
  }

  all(): FaultInfo[] {
    return this.list.map((f) => ({ ...f }));
  }

  get size(): number {
    return this.list.length;
  }

  /** Takes the first fault matching the request (consuming one from its count). */
  take(shop: string | null, path: string): FaultInfo | null {
    for (const f of this.list) {
      if (f.remaining !== null && f.remaining <= 0) continue;
      if (f.shop && f.shop !== shop) continue;
      if (f.pathPrefix && !path.startsWith(f.pathPrefix)) continue;
      if (f.remaining !== null) f.remaining--;
      f.hits++;
      return f;
    }
    return null;
  }
}
