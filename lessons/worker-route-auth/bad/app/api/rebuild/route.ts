// The 401 answers an AuthError some other code might throw; nothing here throws one before the
// rebuild has been started, so a stranger's request runs it.
import { AuthError } from "@/lib/error-report";

export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  try {
    await fetch("https://search.internal/rebuild", { method: "POST", body: await req.text() });
    return Response.json({ started: true });
  } catch (error) {
    if (error instanceof AuthError) return new Response("unauthorized", { status: 401 });
    throw error;
  }
}
