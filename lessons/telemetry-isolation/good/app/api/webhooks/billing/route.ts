import { NextResponse } from "next/server";
import { handleBillingEvent } from "@/lib/billing/mutations";

export async function POST(req: Request) {
  try {
    const { handled } = await handleBillingEvent(await req.json());
    return NextResponse.json({ received: true, handled });
  } catch (error) {
    return NextResponse.json({ error: String(error) }, { status: 400 });
  }
}
