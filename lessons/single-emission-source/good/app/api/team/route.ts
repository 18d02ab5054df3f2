import { LogSnag } from "@logsnag/node";
import { OpenPanel } from "@openpanel/sdk";

const op = new OpenPanel({ clientId: "acme", clientSecret: process.env.OP_SECRET! });
const logsnag = new LogSnag({ token: process.env.LOGSNAG_TOKEN!, project: "acme" });

export async function POST(req: Request) {
  const { email } = await req.json();
  op.track("teammate_invited", { email });
  logsnag.track({ channel: "team", event: "teammate_invited" }).catch(() => undefined);
  return Response.json({ ok: true });
}
