// A missing DIGEST_SECRET is a deployment error, answered as one; the comparison then always runs.
import { db } from "@/lib/db";

export async function POST(req: Request) {
  const expected = process.env.DIGEST_SECRET;
  if (!expected) {
    return new Response("digest secret is not configured", { status: 500 });
  }
  if (req.headers.get("x-digest-secret") !== expected) {
    return new Response("unauthorized", { status: 401 });
  }
  await db.insert("digest_runs", { at: Date.now() });
  return Response.json({ flushed: true });
}
