import { currentUser } from "@clerk/nextjs/server";
import { db } from "@/lib/db";

export async function POST() {
  const user = await currentUser();
  if (!user) return new Response(null, { status: 401 });
  await db.insert("members", { id: user.id });
  return Response.json({ ok: true });
}
