export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  const rows = await req.json();
  await fetch("https://warehouse.internal/rows", { method: "POST", body: JSON.stringify(rows) });
  return Response.json({ imported: rows.length });
}
