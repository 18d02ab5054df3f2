import { NextResponse } from "next/server";
import { identifyMember, trackOnboarding } from "@/lib/jitsu";

export async function POST(req: Request) {
  const { memberId, step } = await req.json();
  await identifyMember(memberId);
  await trackOnboarding(step);
  return NextResponse.json({ ok: true });
}
