// Both ids in one lookup, or the card's board compared with the URL's after loading it.
import { NextResponse } from "next/server";
import { auth } from "@/lib/auth";
import { canViewBoard } from "@/lib/permissions";
import { db } from "@/lib/db";
import { getCard } from "@/lib/cards";

export async function GET(
  request: Request,
  { params }: { params: Promise<{ boardId: string; cardId: string }> },
) {
  const session = await auth();
  const { boardId, cardId } = await params;
  if (!(await canViewBoard(session.user.id, boardId))) {
    return NextResponse.json({ error: "forbidden" }, { status: 403 });
  }
  const card = await db.card.findFirst({ where: { id: cardId, boardId } });
  return NextResponse.json(card);
}

export async function DELETE(
  request: Request,
  { params }: { params: Promise<{ boardId: string; cardId: string }> },
) {
  const session = await auth();
  const { boardId, cardId } = await params;
  await canViewBoard(session.user.id, boardId);
  const card = await getCard(cardId);
  if (card?.boardId !== boardId) {
    return NextResponse.json({ error: "not found" }, { status: 404 });
  }
  await db.card.delete({ where: { id: cardId } });
  return new Response(null, { status: 204 });
}
