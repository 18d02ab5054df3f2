// The verdict of verifySignature is computed and thrown away: the payout runs either way.
import { db } from "@/lib/db";
import { verifySignature } from "@/lib/signature";

export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  const body = await req.text();
  verifySignature(body, req.headers.get("x-signature"));
  await db.insert("payouts", JSON.parse(body));
  return Response.json({ ok: true });
}
