// Not on the public list: this path reaches the middleware's key check, so it is protected.
export async function POST(req: Request) {
  return Response.json({ saved: await req.json() });
}
