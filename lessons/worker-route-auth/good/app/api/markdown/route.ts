// GET-only route that answers other methods with an explicit 405: those handlers serve nothing.
import { NextResponse } from "next/server";

export async function GET() {
  return new NextResponse("# Status");
}

export async function POST() {
  return new NextResponse("Method Not Allowed", { status: 405 });
}

export async function DELETE() {
  return NextResponse.json({ error: "method not allowed" }, { status: 405 });
}
