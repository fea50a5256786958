import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigurationError, parseEnv } from "../app/lib/env.server.ts";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/app",
};

function problemsOf(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as ConfigurationError).problems;
  }
  throw new Error("expected a configuration error");
}

describe("configuration", () => {
  it("accepts a complete configuration and applies defaults", () => {
    const env = parseEnv(valid);
    expect(env.SCOPES).toEqual(["read_products", "read_orders", "read_customers", "read_inventory"]);
    expect(env.SHOPIFY_DISTRIBUTION).toBe("app_store");
  });

  it.each(["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "DATABASE_URL"])(
    "names %s when it is missing",
    (name) => {
      expect(problemsOf({ ...valid, [name]: undefined })).toEqual([`${name} is missing`]);
    },
  );

  it("treats an empty value as missing", () => {
    expect(problemsOf({ ...valid, SHOPIFY_API_SECRET: "" })).toEqual(["SHOPIFY_API_SECRET is missing"]);
  });

  it("names every problem at once, and says what is wrong with a present value", () => {
    const problems = problemsOf({ ...valid, SHOPIFY_API_KEY: undefined, DATABASE_URL: "mysql://x/y" });
    expect(problems).toHaveLength(2);
    expect(problems[0]).toBe("SHOPIFY_API_KEY is missing");
    expect(problems[1]).toMatch(/^DATABASE_URL is invalid/);
  });

  it("parses scopes and the distribution", () => {
    const env = parseEnv({ ...valid, SCOPES: " read_orders , read_products", SHOPIFY_DISTRIBUTION: "single_merchant" });
    expect(env.SCOPES).toEqual(["read_orders", "read_products"]);
    expect(env.SHOPIFY_DISTRIBUTION).toBe("single_merchant");
  });
});

describe("command-line tools", () => {
  it.each(["scripts/sync.ts", "scripts/worker.ts"])(
    "%s names missing configuration and exits without a stack trace",
    (script) => {
      const root = path.resolve(import.meta.dirname, "..");
      // Empty counts as missing, and a developer's .env does not fill variables that are set. The
      // log level is the one a user has (the suite's own is silent).
      const run = spawnSync(process.execPath, [path.join(root, script), "--shop", "x.myshopify.com"], {
        cwd: root,
        env: { ...process.env, SHOPIFY_API_KEY: "", SHOPIFY_API_SECRET: "", LOG_LEVEL: "" },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("SHOPIFY_API_KEY is missing");
      expect(run.stderr).toContain("SHOPIFY_API_SECRET is missing");
      expect(run.stderr).not.toMatch(/^\s+at /m);
    },
  );
});
