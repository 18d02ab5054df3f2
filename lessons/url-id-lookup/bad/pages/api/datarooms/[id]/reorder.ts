// From papermark: the dataroom id is validated, then ignored — the updates are keyed by ids from
// the body alone, so any folder of any dataroom can be reordered through this one.
import type { NextApiRequest, NextApiResponse } from "next";
import { getServerSession } from "next-auth";
import prisma from "@/lib/prisma";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "POST") return res.status(405).json({ message: "Method not allowed" });
  const session = await getServerSession(req, res, authOptions);
  if (!session) return res.status(401).end("Unauthorized");
  const { id: dataroomId } = req.query as { id: string }; // lessons: expect[url-id-lookup]
  if (!dataroomId || typeof dataroomId !== "string") {
    return res.status(400).json({ message: "Invalid input" });
  }
  for (const item of req.body) {
    await prisma.dataroomFolder.update({ where: { id: item.id }, data: { orderIndex: item.orderIndex } });
  }
  res.status(200).json({ message: "Order updated successfully" });
}
