import { prisma } from "./db";

export async function listOrders(skip: number) {
  return prisma.order.findMany({
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: 20,
    skip,
  });
}

export async function latestOrder() {
  // take alone: the newest rows once, not a page.
  return prisma.order.findMany({ orderBy: { createdAt: "desc" }, take: 10 });
}

export async function allOrders() {
  return prisma.order.findMany({ orderBy: { createdAt: "desc" } });
}

export async function sortedBy(sortBy: string, skip: number) {
  // The sort field is chosen at run time: nothing to judge here.
  return prisma.order.findMany({ orderBy: { [sortBy]: "asc" }, take: 20, skip });
}
