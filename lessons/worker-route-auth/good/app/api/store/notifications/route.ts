// The app store signs each notification as a JWS; the verifier throws on a bad signature
// before anything is recorded. The catch answers the verify's "no".
import { SignedDataVerifier } from "@apple/app-store-server-library";
import { db } from "@/lib/db";

const verifier = new SignedDataVerifier([], true, 1, "com.example.reorder");

export async function POST(req: Request) {
  const { signedPayload } = await req.json();
  let notification;
  try {
    notification = await verifier.verifyAndDecodeNotification(signedPayload);
  } catch {
    return Response.json({ error: "bad signature" }, { status: 400 });
  }
  await db.insert("store_events", notification);
  return Response.json({ ok: true });
}
