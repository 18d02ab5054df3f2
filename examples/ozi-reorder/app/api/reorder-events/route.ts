import { trackOrderPlaced, trackReorderConverted } from "@/lib/analytics-server";
import { getSession } from "@/lib/auth";
import { createOrder } from "@/lib/db";

// Order confirmation: the server-side, authoritative source of order_placed.
export async function POST(request: Request) {
  const session = await getSession();
  if (!session) return new Response("unauthorized", { status: 401 });
  const { fromOrderId } = await request.json();
  const order = await createOrder(session.userId, fromOrderId);
  // If PostHog is down, this rejects and the customer sees a 500 for an order that was placed.
  await Promise.all([
    trackOrderPlaced(session.userId, order.id),
    trackReorderConverted(session.userId, fromOrderId),
  ]);
  return Response.json({ orderId: order.id });
}
