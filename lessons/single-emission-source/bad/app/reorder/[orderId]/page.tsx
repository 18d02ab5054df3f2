"use client";

import { useEffect } from "react";
import posthog from "posthog-js";

export default function ReorderPage({ params }: { params: { orderId: string } }) {
  useEffect(() => {
    posthog.capture("order_placed", { orderId: params.orderId }); // lessons: expect[single-emission-source]
  }, [params.orderId]);
  return <main>Thanks for your order</main>;
}
