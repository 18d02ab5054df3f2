// A cron route (listed in vercel.json) that never checks CRON_SECRET: GET, but it does the job.
import { db } from "@/lib/db";

export async function GET() { // lessons: expect[worker-route-auth]
  const due = await db.select("reminders");
  await Promise.allSettled(due.map((r: { id: string }) => fetch(`/api/reorder-worker?id=${r.id}`)));
  return Response.json({ sent: due.length });
}
