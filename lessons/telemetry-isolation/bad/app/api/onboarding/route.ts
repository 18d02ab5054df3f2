import { NextResponse } from "next/server";
import { identifyMember, trackOnboarding } from "@/lib/jitsu";

export async function POST(req: Request) {
  const { memberId, step } = await req.json();
  await identifyMember(memberId); // lessons: expect[telemetry-isolation]
  await trackOnboarding(step); // lessons: expect[telemetry-isolation]
  return NextResponse.json({ ok: true });
}
