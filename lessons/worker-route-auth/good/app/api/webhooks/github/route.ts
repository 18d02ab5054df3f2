import { db } from "@/lib/db";

export async function POST(req: Request) {
  const { repository } = await req.json();
  await db.insert("refresh_queue", { repo: repository.full_name });
  return Response.json({ queued: true });
}
