import { assertTeamMember } from "@/lib/team";
import { db } from "@/lib/db";

export async function PUT(req: Request) {
  await assertTeamMember(req);
  await db.update("settings", await req.json());
  return Response.json({ ok: true });
}
