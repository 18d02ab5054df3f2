"use client";
import { use } from "react";
import { trpc } from "@/lib/trpc";

export default function InvoicePage({ params }: { params: Promise<{ invoiceId: string }> }) {
  const { invoiceId } = use(params);
  const invoice = trpc.invoice.get.useQuery({ id: invoiceId });
  return <div>{invoice.data?.total}</div>;
}
