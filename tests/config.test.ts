import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseEnv as parseDotEnv } from "node:util";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigurationError, parseEnv } from "../app/lib/env.server.ts";
import { decodeTokenKey } from "../app/lib/token-encryption.server.ts";
import { ensureLocalTokenKey } from "../scripts/lib/load-env.ts";
import { accessScopes } from "../app/lib/access-scopes.ts";
import { printed, watchPrinted } from "./support/printed.ts";

const valid = {
  SHOPIFY_API_KEY: "key",
  SHOPIFY_API_SECRET: "secret",
  SHOPIFY_APP_URL: "https://app.example.com",
  DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/app",
  TOKEN_ENCRYPTION_KEY: randomBytes(32).toString("base64"),
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
    expect(env.SCOPES).toEqual(accessScopes);
    expect(env.SHOPIFY_DISTRIBUTION).toBe("app_store");
  });

  it.each(["SHOPIFY_API_KEY", "SHOPIFY_API_SECRET", "SHOPIFY_APP_URL", "DATABASE_URL", "TOKEN_ENCRYPTION_KEY"])(
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

  it.each([
    ["64 hex digits", randomBytes(32).toString("hex")],
    ["16 bytes", randomBytes(16).toString("base64")],
    ["48 bytes", randomBytes(48).toString("base64")],
    ["a passphrase", "correct horse battery staple correct horse!"],
  ])("refuses a token encryption key of %s without repeating it", (_label, key) => {
    const problems = problemsOf({ ...valid, TOKEN_ENCRYPTION_KEY: key });
    expect(problems).toEqual([expect.stringMatching(/^TOKEN_ENCRYPTION_KEY is invalid: must be 32 bytes in base64/)]);
    expect(problems.join("\n")).not.toContain(key);
  });

  it("accepts previous token keys as a comma-separated list and names a bad one by position only", () => {
    const [a, b] = [randomBytes(32).toString("base64"), randomBytes(32).toString("base64url")];
    expect(parseEnv({ ...valid, TOKEN_ENCRYPTION_KEY_PREVIOUS: ` ${a}, ${b} ` }).TOKEN_ENCRYPTION_KEY_PREVIOUS).toEqual(
      [a, b],
    );
    expect(parseEnv(valid).TOKEN_ENCRYPTION_KEY_PREVIOUS).toEqual([]);
    const bad = "shpat_not_a_key";
    const problems = problemsOf({ ...valid, TOKEN_ENCRYPTION_KEY_PREVIOUS: `${a},${bad}` });
    expect(problems).toEqual([expect.stringMatching(/^TOKEN_ENCRYPTION_KEY_PREVIOUS is invalid: key 2 of 2 must be/)]);
    expect(problems.join("\n")).not.toContain(bad);
  });

  it("parses scopes and the distribution", () => {
    const env = parseEnv({ ...valid, SCOPES: " read_orders , read_products", SHOPIFY_DISTRIBUTION: "single_merchant" });
    expect(env.SCOPES).toEqual(["read_orders", "read_products"]);
    expect(env.SHOPIFY_DISTRIBUTION).toBe("single_merchant");
  });
});

describe("command-line tools", () => {
  it.each(["scripts/sync.ts", "scripts/worker.ts", "scripts/seal-tokens.ts"])(
    "%s names missing or malformed configuration and exits without a stack trace",
    (script) => {
      const root = path.resolve(import.meta.dirname, "..");
      const badKey = randomBytes(16).toString("base64");
      // Empty counts as missing, and a developer's .env does not fill variables that are set. The
      // log level is the one a user has (the suite's own is silent).
      const run = spawnSync(process.execPath, [path.join(root, script), "--shop", "x.myshopify.com"], {
        cwd: root,
        env: {
          ...process.env,
          SHOPIFY_API_KEY: "",
          SHOPIFY_API_SECRET: "",
          TOKEN_ENCRYPTION_KEY: badKey,
          LOG_LEVEL: "",
        },
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain("SHOPIFY_API_KEY is missing");
      expect(run.stderr).toContain("SHOPIFY_API_SECRET is missing");
      expect(run.stderr).toContain("TOKEN_ENCRYPTION_KEY is invalid");
      expect(run.stderr + run.stdout).not.toContain(badKey);
      expect(run.stderr).not.toMatch(/^\s+at /m);
    },
  );
});

describe("a local run's token key (demo, setup)", () => {
  const folders: string[] = [];
  const dotEnv = () => {
    folders.push(mkdtempSync(path.join(os.tmpdir(), "si-env-")));
    return path.join(folders.at(-1)!, ".env");
  };
  afterEach(() => {
    for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
    vi.unstubAllEnvs();
    vi.restoreAllMocks();
  });
  const withoutKey = () => {
    vi.stubEnv("TOKEN_ENCRYPTION_KEY", undefined);
    watchPrinted();
  };

  it("is generated into a new .env readable by its owner only, and never printed", () => {
    withoutKey();
    const file = dotEnv();
    ensureLocalTokenKey(file);
    const key = parseDotEnv(readFileSync(file, "utf8")).TOKEN_ENCRYPTION_KEY!;
    expect(decodeTokenKey(key)).toBeDefined();
    expect(process.env.TOKEN_ENCRYPTION_KEY).toBe(key);
    expect(statSync(file).mode & 0o077).toBe(0);
    // What was printed is seen (console, stdout and stderr, the log at debug), and holds no key.
    expect(printed().join("\n")).toContain("Generated a TOKEN_ENCRYPTION_KEY into .env");
    expect(printed().join("\n")).not.toContain(key);
  });

  it("fills an empty TOKEN_ENCRYPTION_KEY= line (a copy of .env.example) and keeps the rest", () => {
    withoutKey();
    const file = dotEnv();
    writeFileSync(file, "SHOPIFY_API_KEY=abc\nTOKEN_ENCRYPTION_KEY=\nSCOPES=read_orders");
    ensureLocalTokenKey(file);
    const written = parseDotEnv(readFileSync(file, "utf8"));
    expect(written).toEqual({
      SHOPIFY_API_KEY: "abc",
      TOKEN_ENCRYPTION_KEY: process.env.TOKEN_ENCRYPTION_KEY,
      SCOPES: "read_orders",
    });
    expect(readFileSync(file, "utf8").match(/TOKEN_ENCRYPTION_KEY=/g)).toHaveLength(1);
  });

  it("is taken from .env when there, and from the environment before that, leaving the file alone", () => {
    withoutKey();
    const file = dotEnv();
    const inFile = randomBytes(32).toString("base64");
    writeFileSync(file, `TOKEN_ENCRYPTION_KEY=${inFile}\n`);
    ensureLocalTokenKey(file);
    expect(process.env.TOKEN_ENCRYPTION_KEY).toBe(inFile);

    const inEnvironment = randomBytes(32).toString("base64");
    vi.stubEnv("TOKEN_ENCRYPTION_KEY", inEnvironment);
    ensureLocalTokenKey(file);
    expect(process.env.TOKEN_ENCRYPTION_KEY).toBe(inEnvironment);
    expect(readFileSync(file, "utf8")).toBe(`TOKEN_ENCRYPTION_KEY=${inFile}\n`);
  });
});
