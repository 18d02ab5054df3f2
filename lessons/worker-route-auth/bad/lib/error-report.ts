import { getSession } from "@/lib/session";

type Handler = (req: Request) => Promise<Response>;

export class AuthError extends Error {}

// Reports failures with the caller's identity, and maps an AuthError thrown somewhere else to
// 401. Both happen after the handler has run (or failed): nothing here stops a stranger.
export function withErrorReport(handler: Handler): Handler {
  return async (req) => {
    try {
      return await handler(req);
    } catch (error) {
      const who = await getSession(req);
      console.error("request failed", { who, error });
      const status = error instanceof AuthError ? 401 : 500;
      return Response.json({ error: "failed" }, { status });
    }
  };
}
