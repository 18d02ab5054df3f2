import type { NextApiRequest, NextApiResponse } from "next";

type Handler = (req: NextApiRequest, res: NextApiResponse) => Promise<void>;

// Dispatches on the method; authenticates nothing itself.
export function withMethods(handlers: Record<string, Handler>) {
  return async (req: NextApiRequest, res: NextApiResponse) => {
    const handler = handlers[req.method ?? "GET"];
    if (!handler) return res.status(405).end();
    return handler(req, res);
  };
}
