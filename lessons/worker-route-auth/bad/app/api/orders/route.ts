import { db } from "@/lib/db";
import { logRequest } from "@/lib/log";

// GET is fine; the PATCH is not, and a helper that only logs is no auth.
export async function GET() {
  return Response.json(await db.select("orders"));
}

// lessons: expect[worker-route-auth]
export const PATCH = async (req: Request) => {
  logRequest(req);
  await db.update("orders", await req.json());
  return Response.json({ ok: true });
};

// A secret that is read but never compared with the request is no check either.
export async function DELETE(req: Request) { // lessons: expect[worker-route-auth]
  const key = process.env.ADMIN_API_KEY;
  if (!key) throw new Error("ADMIN_API_KEY missing");
  await db.delete("orders", await req.json());
  return Response.json({ ok: true });
}
