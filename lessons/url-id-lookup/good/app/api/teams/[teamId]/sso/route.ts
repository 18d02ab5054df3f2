// The body names the connection, and it is compared with the URL's team before the delete.
import { NextResponse } from "next/server";
import { requireTeamAdmin } from "@/lib/auth";
import { sso } from "@/lib/sso";

export async function DELETE(request: Request, { params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  if (!(await requireTeamAdmin(teamId))) {
    return NextResponse.json({ error: "forbidden" }, { status: 403 });
  }
  const { clientId } = await request.json();
  const connection = await sso.getConnection({ clientId });
  if (!connection || connection.tenant !== teamId) {
    return NextResponse.json({ error: "not found" }, { status: 404 });
  }
  await sso.deleteConnection({ clientId });
  return NextResponse.json({ ok: true });
}

// The write's key holds the URL's team beside the body's id: scoped.
export async function PATCH(request: Request, { params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  await requireTeamAdmin(teamId);
  const body = await request.json();
  await sso.updateConnection({ where: { clientId: body.clientId, tenant: teamId }, data: body });
  return NextResponse.json({ ok: true });
}
