import { db } from "@/lib/db";

export async function POST(req: Request) {
  const { secret, rows } = await req.json();
  if (secret !== process.env.SYNC_SECRET) {
    return Response.json({ error: "bad secret" }, { status: 400 });
  }
  await db.insert("rows", rows);
  return Response.json({ ok: true });
}
