import type { NextApiRequest, NextApiResponse } from "next";

// A health check: any method, but it only answers, so it changes nothing whoever calls it.
export default function handler(_req: NextApiRequest, res: NextApiResponse) {
  res.status(200).end();
}
