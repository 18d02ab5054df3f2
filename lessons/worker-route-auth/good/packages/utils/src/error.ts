type Handler = (req: Request) => Promise<Response>;

export function withError(handler: Handler): Handler {
  return async (req) => {
    try {
      return await handler(req);
    } catch (error) {
      console.error(error);
      return Response.json({ error: "internal" }, { status: 500 });
    }
  };
}
