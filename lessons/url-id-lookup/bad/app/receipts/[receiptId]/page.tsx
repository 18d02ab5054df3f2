"use client";
// A client page: the id only re-runs an effect that logs it; the data comes from another key.
import { useEffect } from "react";
import { useParams } from "next/navigation";
import useSWR from "swr";

export default function ReceiptPage() {
  const params = useParams();
  const { data } = useSWR("/api/receipts/latest");
  useEffect(() => {
    console.debug("viewing receipt", params.receiptId); // lessons: expect[url-id-lookup]
  }, [params.receiptId]);
  return <pre>{JSON.stringify(data)}</pre>;
}
