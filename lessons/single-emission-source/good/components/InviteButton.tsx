"use client";

import { useOpenPanel } from "@openpanel/nextjs";
import { useLogSnag } from "@logsnag/next";

// The browser records what only it sees (the dialog opened); the server records the invite.
export function InviteButton({ onInvite }: { onInvite: () => Promise<void> }) {
  const op = useOpenPanel();
  const { track } = useLogSnag();
  const open = () => {
    op.track("invite_dialog_opened");
    track({ channel: "ui", event: "invite_dialog_opened" });
  };
  return (
    <button onClick={open} onBlur={onInvite}>
      Invite
    </button>
  );
}
