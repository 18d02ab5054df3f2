// Answers and nothing else.
export function POST() {
  return Response.json({ ok: true });
}
