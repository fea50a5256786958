import { describe, expect, it } from "vitest";
import { mapOrder, type OrderRow } from "./orders.ts";
import { documentedOrder, usd, mappedRow } from "../../../tests/support/shopify-fixtures.ts";

function orderRow(input: unknown): OrderRow {
  return mappedRow(mapOrder(input));
}

describe("mapOrder", () => {
  it("maps the documented order #1001 field by field", () => {
    expect(mapOrder(documentedOrder())).toEqual({
      ok: true,
      row: {
        id: "450789469",
        name: "#1001",
        orderNumber: 1001,
        customerId: "207119551",
        email: "bob.norman@mail.example.com",
        currency: "USD",
        totalPrice: "598.94",
        subtotalPrice: "597.00",
        totalTax: "11.94",
        totalDiscounts: "10.00",
        totalShipping: "0.00",
        totalRefunded: "209.0000",
        grossSales: "597.0000",
        discounts: "10.0000",
        netShipping: "0.0000",
        refundedReturns: "195.6600",
        refundedShipping: "0.0000",
        refundedTaxes: "3.9800",
        financialStatus: "partially_refunded",
        fulfillmentStatus: null,
        cancelledAt: null,
        cancelReason: null,
        closedAt: null,
        test: false,
        sourceName: "web",
        tags: "",
        processedAt: "2008-01-10T11:00:00-05:00",
        createdAt: "2008-01-10T11:00:00-05:00",
        updatedAt: "2008-01-10T11:00:00-05:00",
        lineItems: [
          {
            id: "466157049",
            orderId: "450789469",
            productId: "632910392",
            variantId: "39072856",
            title: "IPod Nano - 8gb",
            variantTitle: "green",
            sku: "IPOD2008GREEN",
            vendor: null,
            quantity: 1,
            price: "199.00",
            totalDiscount: "3.3400",
            giftCard: false,
            refundedQuantity: 0,
            refundedSubtotal: "0.0000",
          },
          {
            id: "518995019",
            orderId: "450789469",
            productId: "632910392",
            variantId: "49148385",
            title: "IPod Nano - 8gb",
            variantTitle: "red",
            sku: "IPOD2008RED",
            vendor: null,
            quantity: 1,
            price: "199.00",
            totalDiscount: "3.3300",
            giftCard: false,
            refundedQuantity: 0,
            refundedSubtotal: "0.0000",
          },
          {
            id: "703073504",
            orderId: "450789469",
            productId: "632910392",
            variantId: "457924702",
            title: "IPod Nano - 8gb",
            variantTitle: "black",
            sku: "IPOD2008BLACK",
            vendor: null,
            quantity: 1,
            price: "199.00",
            totalDiscount: "3.3300",
            giftCard: false,
            refundedQuantity: 1,
            refundedSubtotal: "195.6600",
          },
        ],
        refunds: [
          {
            id: "509562969",
            orderId: "450789469",
            customerId: "207119551",
            test: false,
            amount: "209.0000",
            note: "it broke during shipping",
            createdAt: "2024-01-02T08:59:11-05:00",
            processedAt: "2024-01-02T08:59:11-05:00",
            returns: "195.6600",
            shipping: "0.0000",
            taxes: "3.9800",
          },
        ],
        refundLines: [
          {
            id: "104689539",
            orderId: "450789469",
            refundId: "509562969",
            lineItemId: "703073504",
            productId: "632910392",
            variantId: "457924702",
            giftCard: false,
            quantity: 1,
            subtotal: "195.66",
            totalTax: "3.98",
          },
        ],
      } satisfies OrderRow,
    });
  });

  it("keeps money as the exact strings Shopify sent (no float round-trip)", () => {
    const order = documentedOrder();
    order.total_price = "1234567890123.10";
    order.subtotal_price = "0.10";
    order.total_tax = "0.20";
    order.total_discounts = "0.30";
    order.total_shipping_price_set = usd("19.90");
    order.line_items[0].price = "0.10";
    const row = orderRow(order);
    expect(row.totalPrice).toBe("1234567890123.10");
    expect(row.subtotalPrice).toBe("0.10");
    expect(row.totalTax).toBe("0.20");
    expect(row.totalDiscounts).toBe("0.30");
    expect(row.totalShipping).toBe("19.90"); // shop_money of total_shipping_price_set
    expect(row.lineItems[0].price).toBe("0.10");
  });

  it("takes total shipping from shop_money, not presentment_money", () => {
    const order = documentedOrder();
    order.total_shipping_price_set = {
      shop_money: { amount: "10.00", currency_code: "USD" },
      presentment_money: { amount: "13.52", currency_code: "CAD" },
    };
    expect(orderRow(order).totalShipping).toBe("10.00");
  });

  describe("refunds", () => {
    function withTransactions(...transactions: { kind: string; status: string; amount: string }[]) {
      const order = documentedOrder();
      order.refunds![0].transactions = transactions.map((t, i) => ({ id: 1000 + i, gateway: "bogus", ...t }));
      return order;
    }

    it("sums successful refund transactions exactly: 0.10 + 0.20 = 0.3000", () => {
      const row = orderRow(
        withTransactions(
          { kind: "refund", status: "success", amount: "0.10" },
          { kind: "refund", status: "success", amount: "0.20" },
        ),
      );
      expect(row.refunds[0].amount).toBe("0.3000");
      expect(row.totalRefunded).toBe("0.3000");
    });

    it("counts only kind refund with status success", () => {
      const row = orderRow(
        withTransactions(
          { kind: "refund", status: "success", amount: "5.00" },
          { kind: "refund", status: "failure", amount: "100.00" },
          { kind: "refund", status: "pending", amount: "200.00" },
          { kind: "refund", status: "error", amount: "300.00" },
          { kind: "sale", status: "success", amount: "400.00" },
          { kind: "capture", status: "success", amount: "500.00" },
          { kind: "void", status: "success", amount: "600.00" },
          { kind: "refund", status: "success", amount: "2.50" },
        ),
      );
      expect(row.refunds[0].amount).toBe("7.5000");
      expect(row.totalRefunded).toBe("7.5000");
    });

    it("adds up several refunds into totalRefunded", () => {
      const order = documentedOrder();
      order.refunds!.push({
        id: 509562970,
        created_at: "2024-01-03T10:00:00-05:00",
        processed_at: null,
        note: null,
        transactions: [{ id: 179259970, kind: "refund", status: "success", amount: "0.01" }],
      });
      const row = orderRow(order);
      expect(row.refunds.map((r) => r.amount)).toEqual(["209.0000", "0.0100"]);
      expect(row.totalRefunded).toBe("209.0100");
      expect(row.refunds[1]).toEqual({
        id: "509562970",
        orderId: "450789469",
        customerId: "207119551",
        test: false,
        amount: "0.0100",
        note: null,
        createdAt: "2024-01-03T10:00:00-05:00",
        processedAt: null,
        returns: "0.0000",
        shipping: "0.0000",
        taxes: "0.0000",
      });
    });

    it("maps a refund without money movement (restock only, no transactions) to 0", () => {
      for (const transactions of [[], null, undefined]) {
        const order = documentedOrder();
        order.refunds![0].transactions = transactions;
        if (transactions === undefined) delete order.refunds![0].transactions;
        const row = orderRow(order);
        expect(row.refunds[0].amount).toBe("0.0000");
        expect(row.totalRefunded).toBe("0.0000");
      }
    });

    it("maps an order without refunds (empty, null or absent)", () => {
      for (const refunds of [[], null, undefined]) {
        const order = documentedOrder();
        order.refunds = refunds;
        if (refunds === undefined) delete order.refunds;
        const row = orderRow(order);
        expect(row.refunds).toEqual([]);
        expect(row.totalRefunded).toBe("0.0000");
      }
    });
  });

  describe("line item discounts", () => {
    it("uses the sum of discount_allocations when present", () => {
      const order = documentedOrder();
      order.line_items[0].total_discount = "99.00"; // ignored when allocations are present
      order.line_items[0].discount_allocations = [
        { amount: "1.10", discount_application_index: 0 },
        { amount: "2.25", discount_application_index: 1 },
      ];
      expect(orderRow(order).lineItems[0].totalDiscount).toBe("3.3500");
    });

    it("present but empty discount_allocations means no discount", () => {
      const order = documentedOrder();
      order.line_items[0].discount_allocations = [];
      expect(orderRow(order).lineItems[0].totalDiscount).toBe("0.0000");
    });

    it("falls back to total_discount without discount_allocations", () => {
      for (const allocations of [null, undefined]) {
        const order = documentedOrder();
        order.line_items[0].total_discount = "5.00";
        order.line_items[0].discount_allocations = allocations;
        if (allocations === undefined) delete order.line_items[0].discount_allocations;
        expect(orderRow(order).lineItems[0].totalDiscount).toBe("5.00");
      }
    });

    it("defaults to 0 with neither", () => {
      const order = documentedOrder();
      delete order.line_items[0].discount_allocations;
      delete order.line_items[0].total_discount;
      expect(orderRow(order).lineItems[0].totalDiscount).toBe("0");
    });
  });

  it("maps a guest order (no customer) to customerId null", () => {
    const absent = documentedOrder();
    delete absent.customer;
    expect(orderRow(absent).customerId).toBeNull();
    const explicitNull = documentedOrder();
    explicitNull.customer = null;
    expect(orderRow(explicitNull).customerId).toBeNull();
  });

  it("maps an order whose protected customer data is redacted (customer has only an id, email null)", () => {
    const order = documentedOrder();
    order.email = null as unknown as string;
    order.contact_email = null as unknown as string;
    order.phone = null as unknown as string;
    order.customer = { id: 207119551, email: null };
    const row = orderRow(order);
    expect(row.customerId).toBe("207119551");
    expect(row.email).toBeNull();
    expect(row.totalPrice).toBe("598.94");
  });

  it("falls back to created_at when processed_at is missing or null", () => {
    const missing = documentedOrder();
    missing.created_at = "2008-01-10T10:00:00-05:00";
    delete (missing as { processed_at?: string }).processed_at;
    expect(orderRow(missing).processedAt).toBe("2008-01-10T10:00:00-05:00");
    const nulled = documentedOrder();
    nulled.created_at = "2008-01-10T10:00:00-05:00";
    (nulled as { processed_at: string | null }).processed_at = null;
    expect(orderRow(nulled).processedAt).toBe("2008-01-10T10:00:00-05:00");
  });

  it("maps a cancelled, closed test order", () => {
    const order = {
      ...documentedOrder(),
      cancelled_at: "2008-01-11T09:30:00-05:00",
      cancel_reason: "customer",
      closed_at: "2008-01-11T09:31:00-05:00",
      financial_status: "voided",
      fulfillment_status: "fulfilled",
      test: true,
      tags: "vip, wholesale",
    };
    const row = orderRow(order);
    expect(row).toMatchObject({
      cancelledAt: "2008-01-11T09:30:00-05:00",
      cancelReason: "customer",
      closedAt: "2008-01-11T09:31:00-05:00",
      financialStatus: "voided",
      fulfillmentStatus: "fulfilled",
      test: true,
      tags: "vip, wholesale",
    });
  });

  it("defaults optional totals to 0 and test to false when the fields are absent", () => {
    const {
      subtotal_price: _s,
      total_tax: _t,
      total_discounts: _d,
      total_shipping_price_set: _sh,
      test: _test,
      ...order
    } = documentedOrder();
    const row = orderRow(order);
    expect(row.subtotalPrice).toBe("0");
    expect(row.totalTax).toBe("0");
    expect(row.totalDiscounts).toBe("0");
    expect(row.totalShipping).toBe("0");
    expect(row.test).toBe(false);
  });

  it("maps an order without line items", () => {
    const order = documentedOrder();
    delete (order as { line_items?: unknown }).line_items;
    expect(orderRow(order).lineItems).toEqual([]);
  });

  describe("malformed records are reported, never thrown", () => {
    const cases: [string, (order: ReturnType<typeof documentedOrder>) => unknown, string | null, RegExp][] = [
      ["missing id", ({ id: _id, ...rest }) => rest, null, /^id: /],
      ["id as a string", (o) => ({ ...o, id: "450789469" }), "450789469", /^id: /],
      ["id zero", (o) => ({ ...o, id: 0 }), "0", /^id: /],
      ["id fractional", (o) => ({ ...o, id: 4.5 }), "4.5", /^id: /],
      ["total_price not a number string", (o) => ({ ...o, total_price: "abc" }), "450789469", /^total_price: /],
      [
        "total_price with a thousands separator",
        (o) => ({ ...o, total_price: "1,598.94" }),
        "450789469",
        /^total_price/,
      ],
      ["total_price empty", (o) => ({ ...o, total_price: "" }), "450789469", /^total_price/],
      ["missing updated_at", ({ updated_at: _u, ...rest }) => rest, "450789469", /^updated_at: /],
      ["bad updated_at", (o) => ({ ...o, updated_at: "not-a-date" }), "450789469", /^updated_at: /],
      ["bad created_at", (o) => ({ ...o, created_at: "yesterday" }), "450789469", /^created_at: /],
      ["missing name", ({ name: _n, ...rest }) => rest, "450789469", /^name: /],
      ["customer id as a string", (o) => ({ ...o, customer: { id: "207119551" } }), "450789469", /^customer\.id: /],
      [
        "line item price not a number",
        (o) => ({ ...o, line_items: [o.line_items[0], { ...o.line_items[1], price: "abc" }] }),
        "450789469",
        /^line_items\.1\.price: /,
      ],
      [
        "line item without id",
        (o) => ({ ...o, line_items: [{ ...o.line_items[0], id: undefined }] }),
        "450789469",
        /^line_items\.0\.id: /,
      ],
      [
        "refund transaction amount not a number",
        (o) => ({
          ...o,
          refunds: [{ ...o.refunds![0], transactions: [{ kind: "refund", status: "success", amount: "x" }] }],
        }),
        "450789469",
        /^refunds\.0\.transactions\.0\.amount: /,
      ],
      [
        "refund without created_at",
        (o) => ({ ...o, refunds: [{ ...o.refunds![0], created_at: undefined }] }),
        "450789469",
        /^refunds\.0\.created_at: /,
      ],
      [
        "discount allocation amount not a number",
        (o) => ({ ...o, line_items: [{ ...o.line_items[0], discount_allocations: [{ amount: "3,34" }] }] }),
        "450789469",
        /^line_items\.0\.discount_allocations\.0\.amount: /,
      ],
    ];

    it.each(cases)("%s", (_name, mutate, id, reason) => {
      const result = mapOrder(mutate(documentedOrder()));
      expect(result).toEqual({ ok: false, id, reason: expect.stringMatching(reason) });
    });

    it("does not throw on inputs that are not objects", () => {
      for (const input of [null, undefined, 42, "450789469", [], true, {}]) {
        const result = mapOrder(input);
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.id).toBeNull();
          expect(typeof result.reason).toBe("string");
        }
      }
    });

    // These strings are not ISO-8601 timestamps, and PostgreSQL's timestamptz rejects every one of them,
    // yet Date.parse (V8's lenient legacy parser) accepts them, so the mapper lets them through: the row
    // then fails the whole page's upsert instead of being skipped. See the report.
    it.each(["1", "2024", "foo 2020", "hello 1", "2024-02-30T00:00:00Z"])(
      "rejects updated_at %j, which is not a valid timestamp",
      (updatedAt) => {
        const result = mapOrder({ ...documentedOrder(), updated_at: updatedAt });
        expect(result).toEqual({ ok: false, id: "450789469", reason: expect.stringMatching(/^updated_at: /) });
      },
    );
  });
});
