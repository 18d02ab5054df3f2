import { after, NextResponse } from "next/server";
import { posthog } from "@/lib/posthog";
import { track, trackOrderPlaced } from "@/lib/track";
import { createOrder } from "@/lib/orders";

export async function POST(req: Request) {
  const order = await createOrder(await req.json());
  // the wrappers in lib/track.ts catch inside their own bodies
  await trackOrderPlaced(order.userId, order.total);
  await Promise.all([track(order.userId, "checkout_completed"), createOrder(order)]);
  after(async () => {
    posthog.capture({ distinctId: order.userId, event: "order_confirmed" });
    await posthog.flush();
  });
  return NextResponse.json(order, { status: 201 });
}
