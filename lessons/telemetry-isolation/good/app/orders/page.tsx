"use client";

import { usePostHog } from "posthog-js/react";

export default function OrdersPage() {
  const posthog = usePostHog();
  async function onView() {
    await posthog.capture("orders_viewed");
  }
  return <main onLoad={onView}>Orders</main>;
}
