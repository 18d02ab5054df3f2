import { prisma } from "./db";

export async function listOrders(skip: number) {
  return prisma.order.findMany({
    where: { archived: false },
    orderBy: { createdAt: "desc" }, // lessons: expect[pagination-tiebreaker]
    take: 20,
    skip,
  });
}

export async function ordersAfter(cursor: string) {
  return prisma.order.findMany({
    orderBy: [{ status: "asc" }, { createdAt: "desc" }], // lessons: expect[pagination-tiebreaker]
    take: 20,
    cursor: { id: cursor },
    skip: 1,
  });
}
