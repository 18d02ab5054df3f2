// Closing the ledger tells the accounting service first and compares the shared secret after:
// the request to the other service has gone out whatever the comparison says.
export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  const period = new URL(req.url).searchParams.get("period");
  await fetch("https://accounting.internal/close", {
    method: "POST",
    body: JSON.stringify({ period }),
  });
  if (req.headers.get("x-ledger-key") !== process.env.LEDGER_SECRET) {
    return new Response("unauthorized", { status: 401 });
  }
  return Response.json({ closed: period });
}
