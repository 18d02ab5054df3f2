// The same QStash check, awaited: an invalid signature rejects before any work.
import { Receiver } from "@upstash/qstash";
import { db } from "@/lib/db";

const receiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY ?? "",
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY ?? "",
});

export async function POST(req: Request) {
  const body = await req.text();
  const valid = await receiver.verify({
    signature: req.headers.get("upstash-signature") ?? "",
    body,
  });
  if (!valid) {
    return new Response("bad signature", { status: 401 });
  }
  await db.insert("refills", JSON.parse(body));
  return Response.json({ ok: true });
}
