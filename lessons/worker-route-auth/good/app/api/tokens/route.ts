import { getToken } from "next-auth/jwt";
import type { NextRequest } from "next/server";
import { db } from "@/lib/db";

export async function DELETE(req: NextRequest) {
  const token = await getToken({ req });
  if (!token) return new Response(null, { status: 401 });
  await db.update("tokens", { owner: token.sub, revoked: true });
  return Response.json({ ok: true });
}
