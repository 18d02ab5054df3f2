import { withError } from "@/lib/with-error";
import { db } from "@/lib/db";

// lessons: expect[worker-route-auth]
export const POST = withError(async (req: Request) => {
  await db.insert("exports", await req.json());
  return Response.json({ ok: true });
});
