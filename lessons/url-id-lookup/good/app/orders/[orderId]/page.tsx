// Next 14: sync params, Prisma lookup by the id from the URL.
import { prisma } from "@/lib/prisma";
import { notFound } from "next/navigation";

export async function generateMetadata({ params }: { params: { orderId: string } }) {
  return { title: `Order ${params.orderId}` };
}

export default async function OrderPage({ params }: { params: { orderId: string } }) {
  const order = await prisma.order.findUnique({ where: { id: params.orderId } });
  if (!order) notFound();
  return <h1>Order {params.orderId}</h1>;
}
