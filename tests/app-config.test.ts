import { existsSync, readFileSync } from "node:fs";
import { ApiVersion } from "@shopify/shopify-api";
import { parse } from "toml";
import { describe, expect, it } from "vitest";
import { accessScopes } from "../app/lib/access-scopes.ts";
import { apiVersion } from "../app/lib/api-version.ts";
import { recordWebhookTopics } from "../app/ingest/resources/index.ts";
import { webhookSubscriptions } from "../scripts/lib/webhook-subscriptions.ts";

// shopify.app.toml is what Shopify installs the app with (`shopify app deploy`); the code is what the
// app asks for, handles and subscribes to offline. They are held to each other here, so a resource,
// scope or API version changed on one side only fails this test instead of a merchant's install.

interface AppToml {
  webhooks: {
    api_version: string;
    subscriptions: { topics?: string[]; compliance_topics?: string[]; uri: string }[];
  };
  access_scopes: { scopes: string };
}

const toml = parse(readFileSync(new URL("../shopify.app.toml", import.meta.url), "utf8")) as AppToml;

/** Subscriptions as comparable lines: "uri topic", compliance topics marked. */
function lines(subscriptions: { topics: readonly string[]; uri: string; compliance?: boolean }[]): string[] {
  return subscriptions
    .flatMap(({ topics, uri, compliance }) =>
      topics.map((topic) => `${uri} ${topic}${compliance ? " (compliance)" : ""}`),
    )
    .sort();
}

describe("shopify.app.toml", () => {
  it("declares the API version the app requests, one Shopify's library knows", () => {
    expect(toml.webhooks.api_version).toBe(apiVersion);
    expect(Object.values(ApiVersion)).toContain(apiVersion);
  });

  it("asks for the access scopes the app asks for", () => {
    const scopes = toml.access_scopes.scopes.split(",").map((scope) => scope.trim());
    expect(new Set(scopes).size).toBe(scopes.length);
    expect([...scopes].sort()).toEqual([...accessScopes].sort());
  });

  it("subscribes to the webhooks the app subscribes to offline and handles, and no others", () => {
    const declared = toml.webhooks.subscriptions.map(({ topics, compliance_topics, uri }) => ({
      topics: topics ?? compliance_topics ?? [],
      uri,
      compliance: compliance_topics !== undefined,
    }));
    expect(lines(declared)).toEqual(lines(webhookSubscriptions("")));
    // Every record topic a resource declares is among them.
    const records = declared.find((s) => s.uri === "/webhooks/records")?.topics ?? [];
    expect([...records].sort()).toEqual([...recordWebhookTopics].sort());
  });

  it("delivers each subscription to a route of the app", () => {
    for (const { uri } of toml.webhooks.subscriptions) {
      const route = `app/routes/${uri.slice(1).replaceAll("/", ".")}.tsx`;
      expect(existsSync(new URL(`../${route}`, import.meta.url)), route).toBe(true);
    }
  });
});
