// The link's token is the credential: the row is found by it or the request stops.
import { db } from "@/lib/db";

export async function POST(req: Request) {
  const token = new URL(req.url).searchParams.get("token") ?? "";
  const row = await db.emailToken.findUnique({ where: { token } });
  if (!row) return Response.json({ error: "link expired" }, { status: 410 });
  await db.user.update({ where: { id: row.userId }, data: { digest: false } });
  return Response.json({ ok: true });
}
