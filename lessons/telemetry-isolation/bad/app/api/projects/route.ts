import { NextResponse } from "next/server";
import { Analytics } from "@june-so/analytics-node";

const june = new Analytics(process.env.JUNE_WRITE_KEY!);

export async function POST(req: Request) {
  const { userId, name } = await req.json();
  const project = await createProject(userId, name);
  june.track({ userId, event: "project_created" }); // queued: cannot fail the request
  await june.flush(); // lessons: expect[telemetry-isolation]
  return NextResponse.json(project);
}

declare function createProject(userId: string, name: string): Promise<{ id: string }>;
