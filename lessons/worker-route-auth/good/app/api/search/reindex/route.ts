// The wrapper checks the session before the handler runs; the handler rewrites the index and
// only then reads the session, to log who asked. The wrapper is the guard.
import { getSession, withAuth } from "@/lib/auth";
import { db } from "@/lib/db";

export const POST = withAuth(async () => {
  await db.update("search_index", { rebuiltAt: Date.now() });
  const session = await getSession();
  return Response.json({ reindexed: true, by: session?.userId });
});
