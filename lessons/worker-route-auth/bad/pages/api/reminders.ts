import type { NextApiRequest, NextApiResponse } from "next";
import { db } from "@/lib/db";

// No method restriction: a POST runs the insert as well as a GET.
export default async function handler(req: NextApiRequest, res: NextApiResponse) { // lessons: expect[worker-route-auth]
  await db.insert("reminders", req.body);
  res.status(200).json({ ok: true });
}
