// Two ids in one path: the permission check takes the board, the card is loaded by its own id,
// and nothing compares the card's board with the URL's, so any card opens through one's board.
import { NextResponse } from "next/server";
import { auth } from "@/lib/auth";
import { canViewBoard } from "@/lib/permissions";
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
  const card = await getCard(cardId); // lessons: expect[url-id-lookup]
  return NextResponse.json(card);
}
