// The helper that checks the caller is called after the rows are rewritten: its 403 comes too
// late to stop anything.
import { db } from "@/lib/db";
import { requireOperator } from "@/lib/operator";

export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  await db.update("search_index", { rebuiltAt: Date.now() });
  await requireOperator(req);
  return Response.json({ reindexed: true });
}
