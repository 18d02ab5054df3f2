// On the middleware's public list, and nothing here checks the sender either.
export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  const event = await req.json();
  await fetch("https://billing.internal/apply", { method: "POST", body: JSON.stringify(event) });
  return Response.json({ received: true });
}
