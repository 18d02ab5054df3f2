"use client";

import { trackOrderPlaced } from "@/lib/analytics";
import { trackReorderStarted } from "@/lib/reorder-tracking";
import { track } from "@/lib/track";

export function ReorderButton({ orderId }: { orderId: string }) {
  const onClick = () => {
    trackReorderStarted(orderId);
    trackOrderPlaced(orderId);
    track("reorder_clicked", { orderId }); // lessons: expect[single-emission-source]
  };
  return <button onClick={onClick}>Reorder</button>;
}
