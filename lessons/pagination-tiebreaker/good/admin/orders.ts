import { prisma } from "./db";

export async function listOrders(skip: number) {
  return prisma.order.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 20,
    skip,
  });
}

export async function latestOrder() {
  // take: 1 is the newest row, not a page.
  return prisma.order.findMany({ orderBy: { createdAt: "desc" }, take: 1 });
}

export async function allOrders() {
  return prisma.order.findMany({ orderBy: { createdAt: "desc" } });
}
