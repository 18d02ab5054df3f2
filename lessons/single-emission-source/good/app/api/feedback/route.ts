import { NextResponse } from "next/server";
import { posthogServer } from "@/lib/posthog-server";

// PostHog's API-survey response: a different $survey_id than the browser survey below, and
// "survey sent" is allowed on both sides by the lesson's default `allow-both-sides`.
export async function POST(request: Request) {
  const { email, feedback } = await request.json();
  posthogServer.capture({
    distinctId: email,
    event: "survey sent",
    properties: { $survey_id: process.env.FEEDBACK_SURVEY_ID, $survey_response: feedback },
  });
  return NextResponse.json({ ok: true });
}
