// Next 15: await params, then a getter; ownership checked on the result.
import { getSession } from "@/lib/session";
import { getOrder } from "@/lib/orders";

export default async function ReorderPage({ params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  const session = await getSession();
  const id = Number(orderId);
  const order = await getOrder(id);
  if (!order || order.userId !== session.userId) return null;
  return <p>{order.product}</p>;
}
