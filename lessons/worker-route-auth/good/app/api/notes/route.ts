import { createClient } from "@supabase/supabase-js";
import { db } from "@/lib/db";

const supabase = createClient(process.env.SUPABASE_URL ?? "", process.env.SUPABASE_ANON_KEY ?? "");

export async function POST(req: Request) {
  const jwt = req.headers.get("authorization")?.replace("Bearer ", "");
  const { data, error } = await supabase.auth.getUser(jwt);
  if (error || !data.user) return new Response(null, { status: 401 });
  await db.insert("notes", { ...(await req.json()), owner: data.user.id });
  return Response.json({ ok: true });
}
