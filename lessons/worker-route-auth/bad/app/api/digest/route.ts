// A session lookup and a 401 in the wrapper's catch are not an auth check of this route.
import { db } from "@/lib/db";
import { withErrorReport } from "@/lib/error-report";

export const POST = withErrorReport(async (req: Request) => { // lessons: expect[worker-route-auth]
  await db.insert("digests", await req.json());
  return Response.json({ ok: true });
});
