// Shorthand where clause: `findUnique({ where: { id } })` is keyed by the id from the URL.
import { notFound } from "next/navigation";
import { prisma } from "@/lib/prisma";

export default async function ReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const receipt = await prisma.receipt.findUnique({ where: { id } });
  if (!receipt) notFound();
  return <p>{receipt.total}</p>;
}
