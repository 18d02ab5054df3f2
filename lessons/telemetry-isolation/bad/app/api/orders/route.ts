import { NextResponse } from "next/server";
import { trackOrderPlaced } from "@/lib/analytics";
import { createOrder } from "@/lib/orders";

export async function POST(req: Request) {
  const body = await req.json();
  const order = await createOrder(body);
  // lessons: expect[telemetry-isolation]
  await trackOrderPlaced(order.userId, order.total);
  return NextResponse.json(order, { status: 201 });
}
