// From dub: the server page only checks the id; the client page below looks it up.
import { redirect } from "next/navigation";
import { CustomerPageClient } from "./page-client";

export default async function CustomerPage({ params }: { params: Promise<{ customerId: string }> }) {
  const { customerId } = await params;
  if (customerId === "referrals") {
    redirect("/customers/leads");
  }
  return <CustomerPageClient />;
}
