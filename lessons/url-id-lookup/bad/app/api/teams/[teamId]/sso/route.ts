// The URL's team is checked, then the connection to delete is named by the body alone: an admin
// of one team can delete any team's SSO connection by its client id.
import { NextResponse } from "next/server";
import { requireTeamAdmin } from "@/lib/auth";
import { sso } from "@/lib/sso";

export async function DELETE(request: Request, { params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  if (!(await requireTeamAdmin(teamId))) {
    return NextResponse.json({ error: "forbidden" }, { status: 403 });
  }
  const { clientId } = await request.json();
  await sso.deleteConnection({ clientId }); // lessons: expect[url-id-lookup]
  return NextResponse.json({ ok: true });
}
