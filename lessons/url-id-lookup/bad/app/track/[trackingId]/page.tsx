"use client";
import { useParams } from "next/navigation";
import useSWR from "swr";

export default function TrackingPage() {
  const { trackingId } = useParams<{ trackingId: string }>(); // lessons: expect[url-id-lookup]
  const { data } = useSWR("/api/me/last-shipment");
  return (
    <section>
      <h2>Shipment {trackingId}</h2>
      <p>{data?.status}</p>
    </section>
  );
}
