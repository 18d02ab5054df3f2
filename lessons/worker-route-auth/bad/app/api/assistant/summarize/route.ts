// A proxy that signs in as the server: anyone calling it gets the server's rights upstream.
export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  const upstream = await fetch(`${process.env.BACKEND_URL}/api/summarize`, {
    method: "POST",
    headers: { Authorization: `Bearer ${process.env.BACKEND_API_TOKEN}` },
    body: await req.text(),
  });
  return new Response(upstream.body, { status: upstream.status });
}
