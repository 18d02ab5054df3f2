// The body is spread first, so the loaded note's own fields (its id) win; and a plain update
// keyed by the URL's id carries the body as data only.
import { NextResponse } from "next/server";
import { auth } from "@/lib/auth";
import { db } from "@/lib/db";
import { getNote, saveNote } from "@/lib/notes";

export async function PUT(request: Request, { params }: { params: Promise<{ noteId: string }> }) {
  const { noteId } = await params;
  const session = await auth();
  const existing = await getNote(noteId);
  if (!existing || existing.authorId !== session.user.id) {
    return NextResponse.json({ error: "not found" }, { status: 404 });
  }
  const body = await request.json();
  return NextResponse.json(await saveNote({ ...body, ...existing, text: body.text }));
}

export async function PATCH(request: Request, { params }: { params: Promise<{ noteId: string }> }) {
  const { noteId } = await params;
  const body = await request.json();
  const note = await db.note.update({ where: { id: noteId }, data: body });
  return NextResponse.json(note);
}
