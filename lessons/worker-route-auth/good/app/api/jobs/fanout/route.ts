import { isAuthorizedCron } from "@/lib/guards";
import { db } from "@/lib/db";

export async function GET(req: Request) {
  if (!isAuthorizedCron(req)) return new Response(null, { status: 204 });
  return Response.json(await db.select("jobs"));
}
