// The backend checks every caller itself; these routes only carry the request over to it.
const BACKEND_URL = process.env.BACKEND_URL || "http://localhost:8000";

export async function streamFromBackend(req: Request, path: string) {
  const auth = req.headers.get("authorization");
  const upstream = await fetch(`${BACKEND_URL}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(auth ? { Authorization: auth } : {}) },
    body: await req.text(),
  });
  return new Response(upstream.body, { status: upstream.status });
}
