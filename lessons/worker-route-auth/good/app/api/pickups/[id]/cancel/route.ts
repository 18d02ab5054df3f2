// The cancel link carries a token whose hash is stored with the pickup; it is compared in
// constant time before anything changes.
import { createHash, timingSafeEqual } from "node:crypto";
import { db } from "@/lib/db";

function linkMatches(token: string, storedHash: string): boolean {
  const actual = createHash("sha256").update(token).digest();
  const expected = Buffer.from(storedHash, "hex");
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}

export async function POST(req: Request, { params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const { token } = await req.json();
  const pickup = await db.pickup.findUnique({ where: { id } });
  if (!pickup || !linkMatches(token, pickup.cancelTokenHash)) {
    return Response.json({ error: "invalid link" }, { status: 404 });
  }
  await db.pickup.update({ where: { id }, data: { canceled: true } });
  return Response.json({ ok: true });
}
