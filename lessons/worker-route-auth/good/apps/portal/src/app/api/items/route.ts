export async function POST(req: Request) {
  const item = await req.json();
  return Response.json({ created: item });
}
