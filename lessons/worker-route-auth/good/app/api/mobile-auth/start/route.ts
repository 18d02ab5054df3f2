// The start of a sign-in: the caller has no credential yet, by definition.
import { db } from "@/lib/db";

export async function POST(req: Request) {
  const { provider } = await req.json();
  const state = crypto.randomUUID();
  await db.insert("oauth_states", { state, provider });
  return Response.json({ url: `https://accounts.example.com/authorize?state=${state}` });
}
