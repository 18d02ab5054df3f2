import { verifySignatureAppRouter } from "@upstash/qstash/nextjs";

type Handler = (req: Request) => Promise<Response>;

function isInternal(req: Request): boolean {
  return req.headers.get("x-api-key") === process.env.INTERNAL_API_KEY;
}

export function withQstashOrInternal(handler: Handler): Handler {
  const verified = verifySignatureAppRouter(handler);
  return async (req) => (isInternal(req) ? handler(req) : verified(req));
}
