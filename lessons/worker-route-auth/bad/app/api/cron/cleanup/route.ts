// Not in vercel.json, but under /cron: a job anyone can trigger with a GET.
import { db } from "@/lib/db";

export async function GET() { // lessons: expect[worker-route-auth]
  await db.update("sessions", { expired: true });
  return Response.json({ ok: true });
}
