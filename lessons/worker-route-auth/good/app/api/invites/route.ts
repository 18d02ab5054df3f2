import { getServerSession } from "next-auth";
import { db } from "@/lib/db";

async function handler(req: Request) {
  const session = await getServerSession();
  if (!session) return new Response(null, { status: 401 });
  await db.insert("invites", await req.json());
  return Response.json({ ok: true });
}

export { handler as POST, handler as DELETE };
