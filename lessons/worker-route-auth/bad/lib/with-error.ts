type Handler = (req: Request) => Promise<Response>;

// Catches errors; authenticates nothing.
export function withError(handler: Handler): Handler {
  return async (req) => {
    try {
      return await handler(req);
    } catch {
      return Response.json({ error: "internal" }, { status: 500 });
    }
  };
}
