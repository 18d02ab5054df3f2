"use client";

import posthog from "posthog-js";

// Client code is out of scope: a browser capture cannot fail a server request.
export function ReorderButton({ orderId }: { orderId: string }) {
  async function onClick() {
    await fetch(`/api/orders/${orderId}/reorder`, { method: "POST" });
    await Promise.all([posthog.capture("reorder_clicked"), Promise.resolve()]);
  }
  return <button onClick={onClick}>Reorder</button>;
}
