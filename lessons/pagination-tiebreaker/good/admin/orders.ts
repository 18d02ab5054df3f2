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

export async function customersPage(page: number, perPage: number) {
  return prisma.customer.findMany({
    where: { disabled: false },
    orderBy: { id: "asc" },
    skip: (page - 1) * perPage,
    take: perPage,
  });
}

export async function firstCustomers() {
  // take alone and no orderBy: a sample of rows once, not a page.
  return prisma.customer.findMany({ take: 5 });
}

export async function customersFrom(query: { orderBy: object }, skip: number) {
  // The spread argument may hold the ordering: nothing to judge here.
  return prisma.customer.findMany({ ...query, skip, take: 20 });
}

export async function recentCustomersOnce() {
  // skip: 0 takes the first rows once, as take alone does.
  return prisma.customer.findMany({ where: { disabled: false }, skip: 0, take: 200 });
}
