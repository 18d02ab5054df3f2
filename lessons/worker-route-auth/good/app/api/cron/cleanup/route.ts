// Under /cron but not in vercel.json: still a cron route, guarded by a wrapper from a workspace package.
import { withCron } from "@acme/auth";
import { db } from "@/lib/db";

export const GET = withCron(async () => {
  await db.update("sessions", { expired: true });
  return Response.json({ ok: true });
});
