export async function requireOperator(req: Request): Promise<void> {
  if (req.headers.get("x-operator-key") !== process.env.OPERATOR_SECRET) {
    throw new Response("forbidden", { status: 403 });
  }
}
