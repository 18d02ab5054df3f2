// The signature is a hash of the secret and the body, compared with the header.
import crypto from "crypto";
import { db } from "@/lib/db";

const HUBSPOT_CLIENT_SECRET = process.env.HUBSPOT_CLIENT_SECRET || "";

export async function POST(req: Request) {
  const rawBody = await req.text();
  const signature = req.headers.get("X-HubSpot-Signature");
  const sourceString = HUBSPOT_CLIENT_SECRET + rawBody;
  const expectedHash = crypto.createHash("sha256").update(sourceString).digest("hex");
  if (signature !== expectedHash) {
    return Response.json({ error: "invalid signature" }, { status: 400 });
  }
  await db.insert("hubspot_events", JSON.parse(rawBody));
  return Response.json({ ok: true });
}
