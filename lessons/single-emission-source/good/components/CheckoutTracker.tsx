"use client";

import { usePostHog } from "posthog-js/react";
import { useEffect } from "react";

export function CheckoutTracker() {
  const posthog = usePostHog();
  useEffect(() => {
    posthog.capture("checkout_viewed");
  }, [posthog]);
  return null;
}
