import { describe, expect, it } from "vitest";
import { mapShop } from "./shop-details.server.ts";
import { documentedShop } from "../../tests/support/shopify-fixtures.ts";

describe("mapShop", () => {
  it("maps the documented shop.json", () => {
    expect(mapShop(documentedShop())).toEqual({
      name: "John Smith Test Store",
      email: "j.smith@example.com",
      currency: "USD",
      timezone: "America/New_York",
      plan: "enterprise",
      locale: "en",
    });
  });

  it("maps a missing email or plan_name to null", () => {
    const { email: _e, plan_name: _p, ...shop } = documentedShop();
    expect(mapShop(shop)).toEqual({
      name: "John Smith Test Store",
      email: null,
      currency: "USD",
      timezone: "America/New_York",
      plan: null,
      locale: "en",
    });
    expect(mapShop({ ...documentedShop(), email: null, plan_name: null })).toMatchObject({ email: null, plan: null });
  });
});
