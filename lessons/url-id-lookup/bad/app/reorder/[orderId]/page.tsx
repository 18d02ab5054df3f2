// The incident: the deep link names an order, the page shows it and fetches the user's latest.
import { getSession } from "@/lib/session";
import { getLastEssentialByUserId } from "@/lib/orders";
import { ReorderButton } from "./reorder-button";

export default async function ReorderPage({ params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params; // lessons: expect[url-id-lookup]
  const session = await getSession();
  const order = await getLastEssentialByUserId(session.userId);
  console.log("reorder page", orderId);
  return (
    <main>
      <title>{`Reorder ${orderId}`}</title>
      <h1>Reorder #{orderId}</h1>
      <ReorderButton product={order.product} heading={`Order ${orderId}`} />
    </main>
  );
}
