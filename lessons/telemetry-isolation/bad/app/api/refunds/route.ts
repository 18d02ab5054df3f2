// A whole-handler try/catch that answers 400: the telemetry failure becomes a client error.
import { NextResponse } from "next/server";
import { trackOrderPlaced } from "@/lib/analytics";

export async function POST(req: Request) {
  try {
    const { userId, amount } = await req.json();
    await trackOrderPlaced(userId, -amount); // lessons: expect[telemetry-isolation]
    return NextResponse.json({ refunded: amount });
  } catch {
    return NextResponse.json({ error: "bad refund" }, { status: 400 });
  }
}
