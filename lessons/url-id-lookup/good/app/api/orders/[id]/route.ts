import { NextResponse, type NextRequest } from "next/server";
import { sql } from "@/lib/db";

export async function GET(req: NextRequest, context: { params: Promise<{ id: string }> }) {
  const { id } = await context.params;
  if (!id) return NextResponse.json({ error: "missing id" }, { status: 400 });
  const rows = await sql`select * from orders where id = ${id}`;
  return NextResponse.json(rows[0]);
}
