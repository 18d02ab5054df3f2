import { withEmbedToken } from "@/lib/embed/auth";
import { db } from "@/lib/db";

export const POST = withEmbedToken(async ({ req, partnerId }) => {
  await db.insert("links", { ...(await req.json()), partnerId });
  return Response.json({ ok: true });
});
