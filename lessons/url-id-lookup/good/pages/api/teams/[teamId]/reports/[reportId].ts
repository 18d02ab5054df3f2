import type { NextApiRequest, NextApiResponse } from "next";
import { getServerSession } from "next-auth/next";

import { authOptions } from "@/lib/auth";
import prisma from "@/lib/prisma";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const session = await getServerSession(req, res, authOptions);
  if (!session) return res.status(401).end();
  const userId = session.user.id;
  const { teamId, reportId } = req.query as { teamId: string; reportId: string };

  const team = await prisma.team.findFirst({
    where: { id: teamId, members: { some: { userId } } },
  });
  if (!team) return res.status(403).end();

  // The report is loaded by its own id together with its team's membership of the caller, and
  // refused when the caller is not in that team: it is tied to the caller, not to the URL's
  // team, so a report of a team the caller is not in never leaves.
  const report = await prisma.report.findUnique({
    where: { id: reportId },
    include: { team: { include: { members: { where: { userId } } } } },
  });
  if (!report || report.team.members.length === 0) return res.status(403).end();
  return res.json({ id: report.id, title: report.title, plan: team.plan });
}
