import { db } from "@/lib/db";

export async function DELETE(req: Request) { // lessons: expect[worker-route-auth]
  await db.delete("accounts", await req.json());
  return Response.json({ ok: true });
}
