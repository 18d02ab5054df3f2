// A wrapper reads the workspace id itself; the handler looks the link up by its id.
import { withWorkspace } from "@/lib/auth";
import { prisma } from "@/lib/prisma";
import { NextResponse } from "next/server";

export const GET = withWorkspace(async ({ params, workspace }) => {
  const link = await prisma.link.findFirst({
    where: { id: params.linkId, projectId: workspace.id },
  });
  return NextResponse.json(link);
});

export const DELETE = withWorkspace(async ({ workspace }) => {
  return NextResponse.json({ workspace: workspace.id });
});
