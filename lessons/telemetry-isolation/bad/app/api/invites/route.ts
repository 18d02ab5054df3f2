import { NextResponse } from "next/server";
import { LogSnag } from "@logsnag/node";
import { OpenPanel } from "@openpanel/sdk";

const logsnag = new LogSnag({ token: process.env.LOGSNAG_TOKEN!, project: "acme" });
const op = new OpenPanel({ clientId: "acme", clientSecret: process.env.OP_SECRET! });

export async function POST(req: Request) {
  const { email } = await req.json();
  // The invite is sent, but both notifications ride the same Promise.all as the work.
  await Promise.all([
    sendInvite(email),
    logsnag.track({ channel: "invites", event: "invite_sent", notify: true }), // lessons: expect[telemetry-isolation]
    op.track("invite_sent", { email }), // lessons: expect[telemetry-isolation]
  ]);
  return NextResponse.json({ ok: true });
}

declare function sendInvite(email: string): Promise<void>;
