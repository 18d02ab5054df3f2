import { NextResponse } from "next/server";
import { waitUntil } from "@vercel/functions";
import { posthog } from "@/lib/posthog";
import { sendReminder } from "@/lib/reminders";

export async function POST(req: Request) {
  const { users } = (await req.json()) as { users: { id: string; email: string }[] };
  // not telemetry: a failed reminder should fail the worker
  await Promise.all(users.map((u) => sendReminder(u.email)));
  try {
    await Promise.all(
      users.map((u) => posthog.captureImmediate({ distinctId: u.id, event: "reminder_sent" })),
    );
  } catch (error) {
    console.error("PostHog failed; reminders were sent", error);
  }
  waitUntil(posthog.shutdown());
  return NextResponse.json({ sent: users.length });
}
