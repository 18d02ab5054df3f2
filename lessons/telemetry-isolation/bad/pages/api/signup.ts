import type { NextApiRequest, NextApiResponse } from "next";
import { posthog } from "@/lib/posthog";

export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  const user = await createUser(req.body);
  await posthog.shutdown(); // lessons: expect[telemetry-isolation]
  res.status(201).json(user);
}

async function createUser(body: unknown) {
  return { id: "u1", body };
}
