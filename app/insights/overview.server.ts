import prisma from "../db.server.ts";

export interface ShopOverview {
  shopName: string;
  orders: number;
  products: number;
  customers: number;
}

/** What the first page shows: the shop's name and how much of its data has been imported. */
export async function shopOverview(domain: string): Promise<ShopOverview> {
  const shop = await prisma.shop.findUnique({ where: { domain } });
  if (!shop) return { shopName: domain, orders: 0, products: 0, customers: 0 };
  const [orders, products, customers] = await Promise.all([
    prisma.order.count({ where: { shopId: shop.id } }),
    prisma.product.count({ where: { shopId: shop.id } }),
    prisma.customer.count({ where: { shopId: shop.id } }),
  ]);
  return { shopName: shop.name ?? domain, orders, products, customers };
}
