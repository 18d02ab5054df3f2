// On the signed-in list: this path reaches the cookie check.
export async function POST(req: Request) {
  return Response.json({ entry: await req.json() });
}
