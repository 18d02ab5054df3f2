export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  const range = await req.json();
  await fetch("https://ledger.internal/exports", { method: "POST", body: JSON.stringify(range) });
  return Response.json({ queued: true });
}
