import { NextResponse } from "next/server";
import { auth } from "@/lib/auth";
import { db } from "@/lib/db";

// lessons: expect[url-id-lookup]
export async function DELETE(request: Request) {
  const session = await auth();
  await db.order.deleteMany({ where: { userId: session.userId, status: "draft" } });
  return NextResponse.json({ ok: true });
}
