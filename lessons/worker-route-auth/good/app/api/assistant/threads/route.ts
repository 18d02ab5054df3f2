// The request's headers handed on whole, cookie and all.
export async function POST(request: Request) {
  const upstream = await fetch(`${process.env.BACKEND_URL}/api/threads`, {
    method: "POST",
    headers: new Headers(request.headers),
    body: request.body,
    duplex: "half",
  } as RequestInit);
  return new Response(upstream.body, { status: upstream.status });
}
