// Confirming a new device: the request carries the one-time challenge the server issued, and
// deleting it by that token is how the request proves itself (a second use finds nothing). The
// signature over the challenge is verified next, before anything is written for the caller.
import { db } from "@/lib/db";
import { verifyDeviceSignature } from "@/lib/devices";

export async function POST(req: Request) {
  const { challengeToken, signature } = await req.json();
  const challenge = await db.challenges.delete({ where: { id: challengeToken } });
  if (!challenge) {
    return new Response("unknown challenge", { status: 400 });
  }
  if (!(await verifyDeviceSignature(challenge.publicKey, signature))) {
    return new Response("bad signature", { status: 401 });
  }
  await db.insert("devices", { key: challenge.publicKey });
  return Response.json({ confirmed: true });
}
