import { Webhook } from "svix";
import { db } from "@/lib/db";

export async function POST(req: Request) {
  const payload = await req.text();
  const wh = new Webhook(process.env.SVIX_WEBHOOK_SECRET ?? "");
  const event = wh.verify(payload, Object.fromEntries(req.headers)) as object;
  await db.insert("svix_events", event);
  return Response.json({ ok: true });
}
