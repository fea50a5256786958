import { describe, expect, it } from "vitest";
import { createLogger, redact, redactText, type LogLevel } from "./log.server.ts";

function capture(options: Parameters<typeof createLogger>[0] = {}) {
  const lines: { line: string; level: LogLevel }[] = [];
  const logger = createLogger({
    format: "json",
    level: "debug",
    ...options,
    write: (line, level) => lines.push({ line, level }),
  });
  const parsed = () => lines.map(({ line }) => JSON.parse(line) as Record<string, unknown>);
  return { logger, lines, parsed };
}

const jwt =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiJodHRwczovL2FjbWUubXlzaG9waWZ5LmNvbS9hZG1pbiIsImRlc3QiOiJodHRwczovL2FjbWUubXlzaG9waWZ5LmNvbSJ9.c2lnbmF0dXJlc2lnbmF0dXJl";

describe("structured log lines", () => {
  it("are one JSON object a line: time, level, msg, then the fields", () => {
    const { logger, lines, parsed } = capture();
    logger.info("sync finished", { shop: "acme.myshopify.com", runId: 7, resource: "orders", durationMs: 12 });
    expect(lines).toHaveLength(1);
    expect(lines[0].line).not.toContain("\n");
    expect(Object.keys(parsed()[0]).slice(0, 3)).toEqual(["time", "level", "msg"]);
    expect(parsed()[0]).toEqual({
      time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      level: "info",
      msg: "sync finished",
      shop: "acme.myshopify.com",
      runId: 7,
      resource: "orders",
      durationMs: 12,
    });
  });

  it("carry a child's fields, which a line's own fields extend; no field replaces time, level or msg", () => {
    const { logger, parsed } = capture();
    const job = logger.child({ shop: "acme.myshopify.com", jobId: "j-1" }).child({ runId: 3 });
    job.warn("stopped", { resource: "customers", level: "debug", msg: "x", time: "y" });
    expect(parsed()[0]).toMatchObject({
      level: "warn",
      msg: "stopped",
      shop: "acme.myshopify.com",
      jobId: "j-1",
      runId: 3,
    });
    expect(parsed()[0].time).not.toBe("y");
  });

  it("drop what is below the level, and send warnings and errors to stderr's side", () => {
    const { logger, lines } = capture({ level: "warn" });
    logger.debug("d");
    logger.info("i");
    logger.warn("w");
    logger.error("e");
    expect(lines.map(({ level }) => level)).toEqual(["warn", "error"]);
    const silent = capture({ level: "silent" });
    silent.logger.error("nothing");
    expect(silent.lines).toEqual([]);
  });

  it("flatten errors to type, message and stack, with their secrets taken out", () => {
    const { logger, parsed } = capture();
    const error = Object.assign(new Error("refresh failed for shprt_abc123def with Bearer shpat_0011aa"), {
      status: 401,
    });
    logger.error("token refresh failed", { error });
    const logged = parsed()[0].error as Record<string, unknown>;
    expect(logged).toMatchObject({ type: "Error", status: 401 });
    expect(logged.message).toBe("refresh failed for [redacted] with Bearer [redacted]");
    expect(String(logged.stack)).not.toContain("shprt_abc123def");
  });

  it("pretty format, for a person at a terminal, keeps the redaction", () => {
    const lines: string[] = [];
    const logger = createLogger({ format: "pretty", level: "info", write: (line) => lines.push(line) });
    logger.info("request", { path: `/app?shop=acme.myshopify.com&id_token=${jwt}`, status: 200, bytes: undefined });
    expect(lines[0]).toMatch(
      /^\d\d:\d\d:\d\d\.\d{3} INFO {2}request path=\/app\?shop=acme\.myshopify\.com&id_token=\[redacted\] status=200$/,
    );
  });
});

describe("redaction", () => {
  it("removes session tokens, HMACs and sessions from URLs and keeps the rest of the query", () => {
    const url = `/app?embedded=1&shop=acme.myshopify.com&host=YWRtaW4&id_token=${jwt}&hmac=9f8e7d&session=abc123&timestamp=1700000000`;
    expect(redactText(url)).toBe(
      "/app?embedded=1&shop=acme.myshopify.com&host=YWRtaW4&id_token=[redacted]&hmac=[redacted]&session=[redacted]&timestamp=1700000000",
    );
    expect(redactText("https://acme.myshopify.com/admin/oauth?code=c0de&state=s&signature=sig")).toBe(
      "https://acme.myshopify.com/admin/oauth?code=[redacted]&state=s&signature=[redacted]",
    );
  });

  it("removes access and refresh tokens, JWTs, Authorization values and connection-string passwords from text", () => {
    expect(redactText("token shpat_1234567890abcdef and shpua_98 refresh shprt_77")).toBe(
      "token [redacted] and [redacted] refresh [redacted]",
    );
    expect(redactText(`Authorization: Bearer ${jwt}`)).toBe("Authorization: Bearer [redacted]");
    expect(redactText(`a token ${jwt} alone`)).toBe("a token [redacted] alone");
    expect(redactText("connect postgresql://app:s3cr3t-pw@db.internal:5432/app failed")).toBe(
      "connect postgresql://app:[redacted]@db.internal:5432/app failed",
    );
    expect(redactText('{"access_token":"abc","scope":"read_orders"}')).toBe(
      '{"access_token":"[redacted]","scope":"read_orders"}',
    );
  });

  it("removes the API secret's value wherever it appears", () => {
    const previous = process.env.SHOPIFY_API_SECRET;
    process.env.SHOPIFY_API_SECRET = "very-secret-api-value";
    try {
      expect(redactText("signed with very-secret-api-value.")).toBe("signed with [redacted].");
    } finally {
      process.env.SHOPIFY_API_SECRET = previous;
    }
  });

  it("replaces secret and personal keys at any depth, in objects, arrays and Headers", () => {
    const out = redact({
      shop: "acme.myshopify.com",
      session: { accessToken: "shpat_x", refresh_token: "r" },
      accessToken: "shpat_y",
      apiSecret: "s",
      SHOPIFY_API_SECRET: "s",
      headers: new Headers({ authorization: "Bearer abc", "x-shopify-access-token": "t", "content-type": "json" }),
      rawHeaders: { Authorization: "Basic dXNlcjpwYXNz", Cookie: "a=b", "X-Shopify-Hmac-Sha256": "h" },
      customers: [
        {
          id: 42,
          email: "ada@example.com",
          first_name: "Ada",
          last_name: "Lovelace",
          phone: "+44 20 7946 0000",
          default_address: { address1: "1 Way", city: "London", zip: "N1" },
          orders_count: 3,
        },
      ],
      order: {
        id: 1001,
        name: "#1001",
        customer: { id: 42, email: "ada@example.com" },
        billing_address: { zip: "N1" },
      },
      note: "left at the door",
    }) as Record<string, unknown>;
    expect(out).toEqual({
      shop: "acme.myshopify.com",
      session: "[redacted]",
      accessToken: "[redacted]",
      apiSecret: "[redacted]",
      SHOPIFY_API_SECRET: "[redacted]",
      headers: { authorization: "[redacted]", "x-shopify-access-token": "[redacted]", "content-type": "json" },
      rawHeaders: { Authorization: "[redacted]", Cookie: "[redacted]", "X-Shopify-Hmac-Sha256": "[redacted]" },
      customers: [
        {
          id: 42,
          email: "[redacted]",
          first_name: "[redacted]",
          last_name: "[redacted]",
          phone: "[redacted]",
          default_address: "[redacted]",
          orders_count: 3,
        },
      ],
      order: { id: 1001, name: "#1001", customer: "[redacted]", billing_address: "[redacted]" },
      note: "[redacted]",
    });
  });

  it("removes the list pages' search text from URLs, where names and emails are typed", () => {
    expect(redactText("/app/customers?q=Ada%20Lovelace&sort=newest")).toBe("/app/customers?q=[redacted]&sort=newest");
    expect(redactText("/app/customers?sort=newest&q=ada%40example.com")).toBe(
      "/app/customers?sort=newest&q=[redacted]",
    );
    expect(redactText("see ada%40example.com")).toBe("see [redacted email]");
  });

  it("removes email addresses from free text, and keeps shop domains and ids", () => {
    expect(redactText("customer ada.lovelace+x@example.co.uk (id 42) of acme.myshopify.com")).toBe(
      "customer [redacted email] (id 42) of acme.myshopify.com",
    );
  });

  it("survives cycles, BigInt and dates", () => {
    const cyclic: Record<string, unknown> = { id: 1n, at: new Date(Date.UTC(2026, 0, 1)) };
    cyclic.self = cyclic;
    expect(redact(cyclic)).toEqual({ id: "1", at: "2026-01-01T00:00:00.000Z", self: "[circular]" });
  });
});
