import { db } from "@/lib/db";

// Forwarding the caller's header does not guard what the route does itself with the answer.
export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  const upstream = await fetch(`${process.env.BACKEND_URL}/api/drafts`, {
    method: "POST",
    headers: { Authorization: req.headers.get("authorization") ?? "" },
    body: await req.text(),
  });
  await db.insert("drafts", await upstream.json());
  return Response.json({ ok: true });
}
