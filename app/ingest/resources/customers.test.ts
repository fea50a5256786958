import { describe, expect, it } from "vitest";
import { mapCustomer, type CustomerRow } from "./customers.ts";
import { documentedCustomer, mappedRow } from "../../../tests/support/shopify-fixtures.ts";

describe("mapCustomer", () => {
  it("maps the documented customer Bob Norman field by field", () => {
    expect(mapCustomer(documentedCustomer())).toEqual({
      ok: true,
      row: {
        id: "207119551",
        email: "bob.norman@mail.example.com",
        firstName: "Bob",
        lastName: "Norman",
        phone: "+16136120707",
        city: "Louisville",
        province: "Kentucky",
        countryCode: "US",
        state: "disabled",
        tags: "Léon, Noël",
        acceptsMarketing: false,
        ordersCount: 1,
        totalSpent: "199.65",
        currency: "USD",
        createdAt: "2024-01-02T09:26:59-05:00",
        updatedAt: "2024-01-02T09:26:59-05:00",
      } satisfies CustomerRow,
    });
  });

  describe("marketing consent", () => {
    function withConsent(state: string | null | undefined, acceptsMarketing?: boolean | null) {
      const customer: Record<string, unknown> = documentedCustomer();
      if (state === undefined) delete customer.email_marketing_consent;
      else customer.email_marketing_consent = { state, opt_in_level: "single_opt_in", consent_updated_at: null };
      if (acceptsMarketing !== undefined) customer.accepts_marketing = acceptsMarketing;
      return mappedRow(mapCustomer(customer)).acceptsMarketing;
    }

    it('email_marketing_consent.state "subscribed" → true', () => {
      expect(withConsent("subscribed")).toBe(true);
      expect(withConsent("subscribed", false)).toBe(true); // the consent object wins over the legacy field
    });

    it('"not_subscribed", "unsubscribed", "pending", "redacted", "invalid" → false', () => {
      for (const state of ["not_subscribed", "unsubscribed", "pending", "redacted", "invalid"]) {
        expect(withConsent(state, true), state).toBe(false);
      }
    });

    it("absent consent falls back to accepts_marketing", () => {
      expect(withConsent(undefined, true)).toBe(true);
      expect(withConsent(undefined, false)).toBe(false);
      expect(withConsent(undefined)).toBeNull();
      expect(withConsent(undefined, null)).toBeNull();
    });

    it("a consent object without a state falls back to accepts_marketing", () => {
      expect(withConsent(null, true)).toBe(true);
      const customer = { ...documentedCustomer(), email_marketing_consent: null, accepts_marketing: false };
      expect(mappedRow(mapCustomer(customer)).acceptsMarketing).toBe(false);
    });
  });

  it("maps a customer without a default address", () => {
    for (const address of [null, undefined]) {
      const customer = documentedCustomer();
      customer.default_address = address as null;
      if (address === undefined) delete (customer as { default_address?: unknown }).default_address;
      expect(mappedRow(mapCustomer(customer))).toMatchObject({ city: null, province: null, countryCode: null });
    }
  });

  it("maps a customer whose personal data is redacted", () => {
    const customer = {
      ...documentedCustomer(),
      email: null,
      first_name: null,
      last_name: null,
      phone: null,
      default_address: null,
      addresses: [],
    };
    expect(mappedRow(mapCustomer(customer))).toMatchObject({
      id: "207119551",
      email: null,
      firstName: null,
      lastName: null,
      phone: null,
      city: null,
    });
  });

  it("maps the documented new customer (orders_count 0, total_spent 0.00)", () => {
    const customer = {
      ...documentedCustomer(),
      id: 1073339482,
      email: "steve.lastnameson@example.com",
      first_name: "Steve",
      last_name: "Lastnameson",
      orders_count: 0,
      total_spent: "0.00",
      tags: "",
      phone: "+15142546011",
      email_marketing_consent: { state: "not_subscribed", opt_in_level: "single_opt_in", consent_updated_at: null },
      default_address: { city: "Ottawa", province: "Ontario", country_code: "CA" },
    };
    expect(mappedRow(mapCustomer(customer))).toMatchObject({
      id: "1073339482",
      ordersCount: 0,
      totalSpent: "0.00",
      city: "Ottawa",
      province: "Ontario",
      countryCode: "CA",
      acceptsMarketing: false,
    });
  });

  const cases: [string, (c: ReturnType<typeof documentedCustomer>) => unknown, string | null, RegExp][] = [
    ["missing id", ({ id: _id, ...rest }) => rest, null, /^id: /],
    ["id as a string", (c) => ({ ...c, id: "207119551" }), "207119551", /^id: /],
    ["missing updated_at", ({ updated_at: _u, ...rest }) => rest, "207119551", /^updated_at: /],
    ["bad updated_at", (c) => ({ ...c, updated_at: "" }), "207119551", /^updated_at: /],
    ["total_spent not a number", (c) => ({ ...c, total_spent: "abc" }), "207119551", /^total_spent: /],
    ["orders_count as a string", (c) => ({ ...c, orders_count: "1" }), "207119551", /^orders_count: /],
    ["accepts_marketing as a string", (c) => ({ ...c, accepts_marketing: "yes" }), "207119551", /^accepts_marketing/],
  ];

  it.each(cases)("reports a malformed record: %s", (_name, mutate, id, reason) => {
    expect(mapCustomer(mutate(documentedCustomer()))).toEqual({ ok: false, id, reason: expect.stringMatching(reason) });
  });
});
