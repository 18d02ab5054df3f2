import { db } from "@/lib/db";

async function handler(req: Request) {
  await db.insert("invites", await req.json());
  return Response.json({ ok: true });
}

export { handler as POST }; // lessons: expect[worker-route-auth]
