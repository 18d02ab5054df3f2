type Handler = (req: Request) => Promise<Response>;

export function withCron(handler: Handler): Handler {
  return async (req) => {
    if (req.headers.get("authorization") !== `Bearer ${process.env.CRON_SECRET}`) {
      return new Response("Unauthorized", { status: 401 });
    }
    return handler(req);
  };
}
