import { NextResponse } from "next/server";
import { PostHog } from "posthog-node";
import { trackReminderDelivered, trackReminderTriggered } from "@/lib/analytics";
import { sendReminder } from "@/lib/reminders";

const client = new PostHog(process.env.POSTHOG_KEY!);

export async function POST(req: Request) {
  const { users } = (await req.json()) as { users: { id: string }[] };
  await Promise.all(users.map((u) => sendReminder(u.id)));
  await Promise.all(
    users.map((u) =>
      // lessons: expect[telemetry-isolation]
      client.capture({ distinctId: u.id, event: "reminder_delivered" }),
    ),
  );
  // a wrapper defined in lib/analytics.ts that does not catch inside
  await Promise.all(users.map((u) => trackReminderTriggered(u.id))); // lessons: expect[telemetry-isolation]
  // the postmortem's exact line: two wrapper calls, no per-call catch
  await Promise.all([
    trackReminderTriggered(users[0].id), // lessons: expect[telemetry-isolation]
    trackReminderDelivered(users[0].id), // lessons: expect[telemetry-isolation]
  ]);
  await client.shutdown(); // lessons: expect[telemetry-isolation]
  return NextResponse.json({ sent: users.length });
}
