"use client";
// From dub: the page never names bountyId; its custom hook reads it with useParams() itself.
import { redirect, useParams } from "next/navigation";
import usePartnerBounty from "@/lib/swr/use-partner-bounty";

export default function PartnerBountyPage() {
  const { programSlug } = useParams<{ programSlug: string }>();
  const { bounty, isLoading } = usePartnerBounty();
  if (!bounty && !isLoading) {
    redirect(`/programs/${programSlug}/bounties`);
  }
  return <h1>{bounty?.name}</h1>;
}
