import { withError, withQstashOrInternal } from "@acme/utils";
import { db } from "@/lib/db";

export const POST = withError(
  withQstashOrInternal(async (req: Request) => {
    await db.insert("reindex", await req.json());
    return Response.json({ ok: true });
  }),
);
