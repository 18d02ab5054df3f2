export async function POST(req: Request) {
  const order = await req.json();
  await fetch("https://kiosk.internal/orders", { method: "POST", body: JSON.stringify(order) });
  return Response.json({ placed: true });
}
