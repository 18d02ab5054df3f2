// From inbox-zero: the whole params object is validated and handed on, not read field by field.
import { NextResponse } from "next/server";
import { z } from "zod";
import { deleteRule } from "@/lib/rules";

const deleteRuleBody = z.object({ id: z.string() });

export async function DELETE(request: Request, { params }: { params: Promise<{ id: string }> }) {
  const input = deleteRuleBody.parse(await params);
  await deleteRule(input);
  return NextResponse.json({ ok: true });
}
