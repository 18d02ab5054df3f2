import { headers } from "next/headers";
import { db } from "@/lib/db";

const WORKER_SECRET = process.env.REORDER_WORKER_SECRET;

export async function POST(req: Request) {
  const auth = (await headers()).get("x-worker-secret");
  if (!WORKER_SECRET || auth !== WORKER_SECRET) {
    return new Response(null, { status: 401 });
  }
  await db.insert("reminders", await req.json());
  return Response.json({ ok: true });
}
