import { verifySignatureAppRouter } from "@upstash/qstash/nextjs";
import { db } from "@/lib/db";

async function handler(req: Request) {
  await db.insert("reorders", await req.json());
  return Response.json({ ok: true });
}

export const POST = verifySignatureAppRouter(handler);
