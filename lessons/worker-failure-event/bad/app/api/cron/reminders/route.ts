import { db, dueReminders, markSent } from "@/lib/db";
import { sendReminder } from "@/lib/reminders";

// The incident's shape: one reminder per user, a catch that writes a line nobody reads.
export async function GET() {
  const due = await dueReminders(db);
  for (const reminder of due) {
    try {
      await sendReminder(reminder);
      await markSent(db, reminder.id);
    } catch (error) { // lessons: expect[worker-failure-event]
      console.error("reminder failed", reminder.id, error);
    }
  }
  return Response.json({ attempted: due.length });
}
