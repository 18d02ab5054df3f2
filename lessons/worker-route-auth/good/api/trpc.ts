export async function trpcHandler(req: Request): Promise<Response> {
  return new Response(req.url);
}
