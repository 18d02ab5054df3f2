import { NextResponse } from "next/server";

// No SDK: Plausible's events API called by hand, awaited before the answer.
export async function POST(req: Request) {
  const { email } = await req.json();
  await subscribe(email);
  await fetch(`${process.env.PLAUSIBLE_HOST}/api/event`, { // lessons: expect[telemetry-isolation]
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ name: "newsletter_joined", url: req.url, domain: "acme.dev" }),
  });
  return NextResponse.json({ ok: true });
}

declare function subscribe(email: string): Promise<void>;
