import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { request } from "undici";
import { describe, expect, it } from "vitest";
import { parseApp, parseShop } from "./cli.ts";

const CLI = fileURLToPath(new URL("./cli.ts", import.meta.url));
// the CLI needs Node 24 (type stripping): the project's own node binary when present
const localNode = fileURLToPath(new URL("../node_modules/.bin/node", import.meta.url));
const NODE = existsSync(localNode) ? localNode : process.execPath;

async function firstLine(child: ChildProcess): Promise<string> {
  let buf = "";
  child.stdout!.setEncoding("utf8");
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (d: string) => {
      buf += d;
      if (buf.includes("\n")) resolve(buf.split("\n")[0]);
    });
    child.on("exit", (code) => reject(new Error(`cli exited with ${code}: ${err}`)));
  });
}

describe("cli", () => {
  it("parses shop and app specs", () => {
    expect(parseShop("acme:seed=1,orders=5000,plan=basic,timezone=Europe/Paris,protected=false,big=2")).toEqual({
      name: "acme",
      seed: 1,
      orders: 5000,
      plan: "basic",
      timezone: "Europe/Paris",
      protectedCustomerData: false,
      bigVariantProducts: 2,
    });
    expect(parseShop("plain")).toEqual({ name: "plain" });
    expect(parseApp("KEY:SECRET:read_products,read_orders")).toEqual({
      apiKey: "KEY",
      apiSecret: "SECRET",
      scopes: ["read_products", "read_orders"],
    });
  });

  it("prints help", async () => {
    const child = spawn(NODE, [CLI, "--help"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const [code] = await once(child, "exit");
    expect(code).toBe(0);
    expect(out).toContain("--shop SPEC");
    expect(out).toContain("--no-rate-limits");
  });

  it("stops when the process that started it (STOP_WITH_PID) dies outright", async () => {
    const parent = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
    const child = spawn(NODE, [CLI, "--port", "0", "--https-port", "0", "--shop", "orphan:orders=10", "--json"], {
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, STOP_WITH_PID: String(parent.pid) },
    });
    try {
      await firstLine(child);
      const exited = once(child, "exit");
      parent.kill("SIGKILL");
      const [code] = await exited;
      expect(code).toBe(0);
    } finally {
      parent.kill("SIGKILL");
      child.kill("SIGKILL");
    }
  });

  it("starts shops and prints working tokens", async () => {
    const child = spawn(
      process.execPath,
      [
        CLI,
        "--port",
        "0",
        "--https-port",
        "0",
        "--shop",
        "clishop:seed=2,orders=300,plan=basic",
        "--app",
        "K:S:read_orders",
        "--json",
      ],
      {
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      const summary = JSON.parse(await firstLine(child));
      expect(summary.shops).toEqual(["clishop.myshopify.com"]);
      expect(summary.tokens[0].accessToken).toMatch(/^shpat_/);
      const res = await request(`${summary.url}/admin/api/2026-01/orders/count.json?status=any`, {
        headers: { host: "clishop.myshopify.com", "x-shopify-access-token": summary.tokens[0].accessToken },
      });
      expect(res.statusCode).toBe(200);
      expect(await res.body.json()).toEqual({ count: 300 });
    } finally {
      child.kill("SIGTERM");
      await once(child, "exit");
    }
  });
});
