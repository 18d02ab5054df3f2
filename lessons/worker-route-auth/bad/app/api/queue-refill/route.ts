// QStash's Receiver.verify returns a promise: without `await` the check below sees a Promise,
// which is always truthy, so every caller gets through (issue 11, item 6).
import { Receiver } from "@upstash/qstash";
import { db } from "@/lib/db";

const receiver = new Receiver({
  currentSigningKey: process.env.QSTASH_CURRENT_SIGNING_KEY ?? "",
  nextSigningKey: process.env.QSTASH_NEXT_SIGNING_KEY ?? "",
});

export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  const body = await req.text();
  const valid = receiver.verify({ signature: req.headers.get("upstash-signature") ?? "", body });
  if (!valid) {
    return new Response("bad signature", { status: 401 });
  }
  await db.insert("refills", JSON.parse(body));
  return Response.json({ ok: true });
}
