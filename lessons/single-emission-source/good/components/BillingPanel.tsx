"use client";

import posthog from "posthog-js";

// The browser only records what the server cannot see: the panel being opened. The upgrade
// itself is captured once, by the Python backend (backend/shop/routes.py).
export function BillingPanel({ onUpgrade }: { onUpgrade: () => Promise<void> }) {
  const open = () => posthog.capture("billing_panel_opened");
  return (
    <div onMouseEnter={open}>
      <button onClick={onUpgrade}>Upgrade</button>
    </div>
  );
}
