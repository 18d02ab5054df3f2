"use client";
import { useParams } from "next/navigation";
import useSWR from "swr";

export default function TrackingPage() {
  const params = useParams<{ trackingId: string }>();
  const { data } = useSWR(`/api/shipments/${params.trackingId}`);
  return <p>{data?.status}</p>;
}
