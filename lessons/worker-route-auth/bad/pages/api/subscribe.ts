import type { NextApiRequest, NextApiResponse } from "next";
import { db } from "@/lib/db";

// POST-only, and nothing checks who is posting.
export default async function handler(req: NextApiRequest, res: NextApiResponse) { // lessons: expect[worker-route-auth]
  if (req.method !== "POST") return res.status(405).end();
  await db.insert("subscriptions", req.body);
  res.json({ ok: true });
}
