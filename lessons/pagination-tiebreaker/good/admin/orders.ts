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

export async function ordersByReference(skip: number) {
  // `reference` is @unique in schema.prisma: a tiebreaker of its own.
  return prisma.order.findMany({
    orderBy: [{ createdAt: "desc" }, { reference: "asc" }],
    take: 20,
    skip,
  });
}

export async function shipments(skip: number) {
  // @@unique([carrier, trackNo]): both fields in the ordering make it total.
  return prisma.shipment.findMany({
    orderBy: [{ sentAt: "desc" }, { carrier: "asc" }, { trackNo: "asc" }],
    take: 50,
    skip,
  });
}
