// The note is loaded and its owner checked by the URL's id, then saved with the body spread over
// it: an `id` in the body overwrites another note.
import { NextResponse } from "next/server";
import { auth } from "@/lib/auth";
import { getNote, saveNote } from "@/lib/notes";

export async function PUT(request: Request, { params }: { params: Promise<{ noteId: string }> }) {
  const { noteId } = await params;
  const session = await auth();
  const existing = await getNote(noteId);
  if (!existing || existing.authorId !== session.user.id) {
    return NextResponse.json({ error: "not found" }, { status: 404 });
  }
  const body = await request.json();
  const saved = await saveNote({ ...existing, ...body }); // lessons: expect[url-id-lookup]
  return NextResponse.json(saved);
}
