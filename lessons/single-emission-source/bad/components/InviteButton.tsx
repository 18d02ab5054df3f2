"use client";

import { useOpenPanel } from "@openpanel/nextjs";
import { track } from "@vercel/analytics";

export function InviteButton({ onInvite }: { onInvite: () => Promise<void> }) {
  const op = useOpenPanel();
  const click = async () => {
    await onInvite();
    op.track("teammate_invited"); // lessons: expect[single-emission-source]
    track("plan_chosen", { plan: "team" }); // lessons: expect[single-emission-source]
  };
  return <button onClick={click}>Invite</button>;
}
