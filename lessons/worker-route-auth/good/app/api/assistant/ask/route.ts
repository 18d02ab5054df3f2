// A proxy: the caller's own credentials go to the backend, which says no to a stranger.
import { streamFromBackend } from "@/lib/upstream";

export async function POST(req: Request) {
  return streamFromBackend(req, "/api/assistant/ask");
}
