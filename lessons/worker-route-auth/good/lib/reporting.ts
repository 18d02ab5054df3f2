import { getSession } from "@/lib/auth";

type Handler = (req: Request) => Promise<Response>;

// The session is checked before the handler runs; the catch only reports a failure.
export function withReportedSession(handler: Handler): Handler {
  return async (req) => {
    const session = await getSession();
    if (!session) return Response.json({ error: "sign in" }, { status: 401 });
    try {
      return await handler(req);
    } catch (error) {
      console.error("request failed", { user: session.userId, error });
      return Response.json({ error: "failed" }, { status: 500 });
    }
  };
}
