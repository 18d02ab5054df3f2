import { auth } from "@/auth";
import { db } from "@/lib/db";

export async function PATCH(req: Request) {
  const session = await auth();
  if (!session?.user) return new Response(null, { status: 401 });
  await db.update("profiles", { ...(await req.json()), id: session.user.id });
  return Response.json({ ok: true });
}
