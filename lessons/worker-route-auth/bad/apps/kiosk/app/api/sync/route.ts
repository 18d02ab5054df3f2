export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  const sales = await req.json();
  await fetch("https://kiosk.internal/sales", { method: "PUT", body: JSON.stringify(sales) });
  return Response.json({ synced: sales.length });
}
