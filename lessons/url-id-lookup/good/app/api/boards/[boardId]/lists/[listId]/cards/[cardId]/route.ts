// Ties are transitive: the list is loaded within the board, the card within the list.
import { NextResponse } from "next/server";
import { auth } from "@/lib/auth";
import { canViewBoard } from "@/lib/permissions";
import { db } from "@/lib/db";

export async function GET(
  request: Request,
  { params }: { params: Promise<{ boardId: string; listId: string; cardId: string }> },
) {
  const session = await auth();
  const { boardId, listId, cardId } = await params;
  if (!(await canViewBoard(session.user.id, boardId))) {
    return NextResponse.json({ error: "forbidden" }, { status: 403 });
  }
  const list = await db.list.findFirst({ where: { id: listId, boardId } });
  const card = await db.card.findFirst({ where: { id: cardId, listId: list?.id } });
  return NextResponse.json(card);
}
