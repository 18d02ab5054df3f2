import { getSession } from "@/lib/auth";
import { getLastEssentialByUserId } from "@/lib/db";

import { ReorderForm } from "./reorder-form";

export default async function ReorderPage({ params }: { params: Promise<{ orderId: string }> }) {
  const { orderId } = await params;
  const session = await getSession();
  // The deep link names one order, but the product comes from "the user's latest essential".
  const order = session ? await getLastEssentialByUserId(session.userId) : undefined;
  return (
    <main>
      <h1>Reorder</h1>
      <p>From order #{orderId}</p>
      {order ? <ReorderForm productName={order.productName} fromOrderId={order.id} /> : null}
    </main>
  );
}
