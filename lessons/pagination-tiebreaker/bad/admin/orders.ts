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

export async function shipments(skip: number) {
  // Half of @@unique([carrier, trackNo]): two shipments of one carrier still tie.
  return prisma.shipment.findMany({
    orderBy: [{ sentAt: "desc" }, { carrier: "asc" }], // lessons: expect[pagination-tiebreaker]
    take: 50,
    skip,
  });
}

export async function ordersByStatus(skip: number) {
  // Many orders share a status; the schema makes only `id` and `reference` unique.
  return prisma.order.findMany({ orderBy: { status: "asc" }, take: 20, skip }); // lessons: expect[pagination-tiebreaker]
}

export async function customersPage(page: number, perPage: number) {
  // No orderBy at all: Prisma adds none, so every row is a tie.
  return prisma.customer.findMany({
    where: { disabled: false },
    select: { id: true, email: true },
    skip: (page - 1) * perPage, // lessons: expect[pagination-tiebreaker]
    take: perPage,
  });
}

export async function customersAfter(cursor: string) {
  return prisma.customer.findMany({ take: 25, cursor: { id: cursor } }); // lessons: expect[pagination-tiebreaker]
}
