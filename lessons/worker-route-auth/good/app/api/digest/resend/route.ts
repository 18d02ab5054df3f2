import { db } from "@/lib/db";
import { withReportedSession } from "@/lib/reporting";

export const POST = withReportedSession(async (req: Request) => {
  await db.insert("digest_requests", await req.json());
  return Response.json({ queued: true });
});
