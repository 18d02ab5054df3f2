export async function POST(req: Request) {
  return Response.json({ queued: await req.json() });
}
