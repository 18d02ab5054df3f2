"use client";

import { submitReorder } from "@/app/actions/reorder";

export function ReorderForm({ orderId }: { orderId: string }) {
  return (
    <form
      action={async () => {
        await submitReorder("me", orderId);
      }}
    >
      <button type="submit">Reorder</button>
    </form>
  );
}
