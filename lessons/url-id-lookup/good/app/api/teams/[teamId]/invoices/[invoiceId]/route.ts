import { NextResponse } from "next/server";

import { auth } from "@/lib/auth";
import { db } from "@/lib/db";

export async function GET(
  _request: Request,
  { params }: { params: Promise<{ teamId: string; invoiceId: string }> },
) {
  const session = await auth();
  if (!session) return NextResponse.json({ error: "sign in" }, { status: 401 });
  const userId = session.user.id;
  const { teamId, invoiceId } = await params;

  const team = await db.team.findFirst({ where: { id: teamId, members: { some: { userId } } } });
  if (!team) return NextResponse.json({ error: "not a member" }, { status: 403 });

  // The invoice's own team must be one of the caller's: checked against the caller, it cannot
  // be another team's invoice, whichever team the URL names.
  const invoice = await db.invoice.findUnique({ where: { id: invoiceId } });
  const memberships = await db.membership.findMany({ where: { userId } });
  if (!invoice || !memberships.some((m) => m.teamId === invoice.teamId)) {
    return NextResponse.json({ error: "not found" }, { status: 404 });
  }
  return NextResponse.json({ invoice, team: team.name });
}
