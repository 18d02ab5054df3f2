import { insertReminder } from "@/lib/db";

// Fan-out target of the reminder cron. "Internal", so nobody added a check: anyone who finds the
// URL can write cohort assignments and reminder rows.
export async function POST(request: Request) {
  const { userId, orderId, cohort } = await request.json();
  await insertReminder(userId, orderId, cohort);
  return Response.json({ ok: true });
}
