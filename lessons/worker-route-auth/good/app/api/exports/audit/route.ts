// The bearer token is cut out of the header with a string's `replace`, which writes nothing,
// and compared before the audit row is written.
import { db } from "@/lib/db";

export async function POST(req: Request) {
  const token = req.headers.get("authorization")?.replace("Bearer ", "");
  if (!token || token !== process.env.EXPORT_AUDIT_SECRET) {
    return new Response("unauthorized", { status: 401 });
  }
  await db.insert("export_audit", { at: Date.now() });
  return Response.json({ recorded: true });
}
