import { OpenPanel } from "@openpanel/sdk";

const op = new OpenPanel({ clientId: "acme", clientSecret: process.env.OP_SECRET! });

// The route records the invite it performs, and the button that called it records it again.
export async function POST(req: Request) {
  const { email } = await req.json();
  op.track("teammate_invited", { email }); // lessons: expect[single-emission-source]
  return Response.json({ ok: true });
}
