import { describe, expect, it } from "vitest";
import { nextLink } from "./rest-client.ts";

describe("nextLink", () => {
  it("finds rel=next among Shopify's Link header entries", () => {
    const header =
      '<https://acme.myshopify.com/admin/api/2026-10/orders.json?limit=250&page_info=abc>; rel="previous", ' +
      '<https://acme.myshopify.com/admin/api/2026-10/orders.json?limit=250&page_info=def>; rel="next"';
    expect(nextLink(header)).toBe("https://acme.myshopify.com/admin/api/2026-10/orders.json?limit=250&page_info=def");
  });

  it("keeps URLs whose query holds commas (fields=a,b) whole", () => {
    const url =
      "https://acme.myshopify.com/admin/api/2026-10/orders.json?limit=250&fields=id,name,line_items&page_info=x";
    expect(nextLink(`<${url}>; rel="next"`)).toBe(url);
    expect(nextLink(`<${url.replace("x", "p")}>; rel="previous", <${url}>; rel="next"`)).toBe(url);
  });

  it("answers undefined on the last page or without a header", () => {
    expect(
      nextLink('<https://acme.myshopify.com/admin/api/2026-10/orders.json?page_info=a>; rel="previous"'),
    ).toBeUndefined();
    expect(nextLink(null)).toBeUndefined();
  });
});
