// The caller's header goes along, but so does the server's key: the backend trusts the key.
export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  const auth = req.headers.get("authorization") ?? "";
  const upstream = await fetch(`${process.env.BACKEND_URL}/api/translate`, {
    method: "POST",
    headers: { Authorization: auth, "X-Api-Key": process.env.BACKEND_API_KEY ?? "" },
    body: await req.text(),
  });
  return new Response(upstream.body, { status: upstream.status });
}
