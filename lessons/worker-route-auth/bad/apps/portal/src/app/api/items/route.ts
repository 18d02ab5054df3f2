export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  const item = await req.json();
  return Response.json({ created: item });
}
