// Sync params (Next 14): the id only goes to telemetry; the page shows the user's latest delivery.
import { getSession } from "@/lib/session";
import { getLatestDeliveryForUser } from "@/lib/deliveries";
import { posthog } from "@/lib/posthog";

export default async function DeliveryPage({ params }: { params: { deliveryId: string } }) {
  const session = await getSession();
  posthog.capture({ distinctId: session.userId, event: "delivery_viewed", properties: { deliveryId: params.deliveryId } }); // lessons: expect[url-id-lookup]
  const delivery = await getLatestDeliveryForUser(session.userId);
  return <p>{delivery.status}</p>;
}
