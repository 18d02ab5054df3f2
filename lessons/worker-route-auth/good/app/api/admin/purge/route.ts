import { db } from "@/lib/db";

export async function DELETE() {
  await db.update("orders", { purged: true });
  return Response.json({ ok: true });
}
