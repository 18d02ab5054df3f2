export async function POST(req: Request) {
  return Response.json({ created: await req.json() });
}
