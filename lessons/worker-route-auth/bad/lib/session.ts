export async function getSession(req: Request): Promise<string | null> {
  return req.headers.get("cookie");
}
