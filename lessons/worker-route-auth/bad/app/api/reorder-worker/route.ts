// The incident: an "internal" fan-out worker, reachable by anyone who knows the URL.
import { db } from "@/lib/db";

export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  const { userId, cohort } = await req.json();
  await db.insert("reminders", { userId, cohort });
  return Response.json({ ok: true });
}
