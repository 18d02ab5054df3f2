import { createHmac, timingSafeEqual } from "node:crypto";
import { db } from "@/lib/db";

export async function POST(req: Request) {
  const body = await req.text();
  const digest = createHmac("sha256", process.env.SHOPIFY_WEBHOOK_SECRET ?? "").update(body).digest("base64");
  const given = req.headers.get("x-shopify-hmac-sha256") ?? "";
  if (given.length !== digest.length || !timingSafeEqual(Buffer.from(given), Buffer.from(digest))) {
    return new Response(null, { status: 401 });
  }
  await db.insert("shopify_events", JSON.parse(body));
  return Response.json({ ok: true });
}
