import { withAuth } from "@/lib/auth";
import { db } from "@/lib/db";

export async function GET() {
  return Response.json(await db.select("orders"));
}

export const POST = withAuth(async (req, userId) => {
  await db.insert("orders", { ...(await req.json()), userId });
  return Response.json({ ok: true });
});

async function updateOrder(req: Request, userId: string) {
  await db.update("orders", { ...(await req.json()), userId });
  return Response.json({ ok: true });
}

export const PATCH = withAuth(updateOrder);
