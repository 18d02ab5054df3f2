import { NextResponse } from "next/server";
import { posthogServer } from "@/lib/posthog-server";

export async function POST(request: Request) {
  const { userId } = await request.json();
  // the model's tool calls (lib/ai/tools.ts) run through the AI SDK and count themselves
  posthogServer.capture({ distinctId: userId, event: "tool_called", properties: { tool: "chat" } });
  return NextResponse.json({ ok: true });
}
