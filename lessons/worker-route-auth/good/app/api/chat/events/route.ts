// Handed on whole to the chat SDK's webhook table, which verifies the platform.
import { bot } from "@/lib/chat-bot";

export async function POST(request: Request) {
  const handler = bot.webhooks["telegram"];
  return handler(request, { waitUntil: () => undefined });
}
