import { posthog } from "@/lib/posthog";

export async function POST(req: Request) {
  const user = await req.json();
  // not awaited: posthog-node's capture only queues the event
  posthog.capture({ distinctId: user.id, event: "signed_up" });
  await posthog.shutdown().catch(() => undefined);
  return Response.json(user, { status: 201 });
}
