// The id goes into the path of an API call.
export default async function ShopOrderPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const res = await fetch(`/api/orders/${id}`, { cache: "no-store" });
  const order = await res.json();
  return <h1>{order.number}</h1>;
}
