import { NextResponse } from "next/server";
import { posthog } from "@/lib/posthog";
import { getCurrentUser, getLatestOrderForUser, cancelOrder } from "@/lib/orders";

export async function POST(request: Request, { params }: { params: { orderId: string } }) {
  const orderId = params.orderId; // lessons: expect[url-id-lookup]
  const user = await getCurrentUser();
  const order = await getLatestOrderForUser(user.id);
  console.info(`cancelling ${orderId}`);
  posthog.capture({ distinctId: user.id, event: "order_cancelled", properties: { orderId } });
  await cancelOrder(order.id);
  return NextResponse.json({ cancelled: orderId });
}
