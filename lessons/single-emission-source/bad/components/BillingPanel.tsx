"use client";

import posthog from "posthog-js";

// The browser captures the same events the Python backend (backend/shop/routes.py) already
// sends on confirmation: every upgrade, checkout, invite and trial is counted twice.
export function BillingPanel({ onUpgrade }: { onUpgrade: () => Promise<void> }) {
  const upgrade = async () => {
    await onUpgrade();
    posthog.capture("plan_upgraded"); // lessons: expect[single-emission-source]
    posthog.capture("checkout_completed"); // lessons: expect[single-emission-source]
  };
  const invite = () => posthog.capture("invite_sent"); // lessons: expect[single-emission-source]
  const trial = () => posthog.capture("trial_started"); // lessons: expect[single-emission-source]
  return (
    <div>
      <button onClick={upgrade}>Upgrade</button>
      <button onClick={invite}>Invite</button>
      <button onClick={trial}>Start trial</button>
    </div>
  );
}
