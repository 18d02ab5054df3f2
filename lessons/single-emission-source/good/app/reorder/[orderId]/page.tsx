"use client";

import { useEffect } from "react";
import posthog from "posthog-js";
import { ReorderForm } from "@/components/ReorderForm";

const STATUS_LABELS: Record<string, string> = { order_placed: "Order placed" };

export default function ReorderPage({
  params,
  eventName,
}: {
  params: { orderId: string };
  eventName: string;
}) {
  useEffect(() => {
    // client-only event: nobody on the server sends it
    posthog.capture("reorder_page_viewed", { orderId: params.orderId });
    // dynamic names are not judged
    posthog.capture(eventName);
    posthog.capture(`step_${params.orderId}`);
  }, [params.orderId, eventName]);
  // the event name as a label, a log line and a lookup key: none of these emit
  console.log("order_placed", params.orderId);
  return (
    <main>
      <p>{STATUS_LABELS["order_placed"]}</p>
      <ReorderForm orderId={params.orderId} />
    </main>
  );
}
