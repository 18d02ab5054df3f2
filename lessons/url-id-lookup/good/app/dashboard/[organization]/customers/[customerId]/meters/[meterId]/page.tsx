// From polar: the customer and the meter are loaded side by side, and each is compared with the
// organization of the URL, which ties them to each other through it.
import { notFound } from "next/navigation";
import { api } from "@/lib/api";
import { getOrganizationBySlug } from "@/lib/organizations";

export default async function CustomerMeterPage({
  params,
}: {
  params: Promise<{ organization: string; customerId: string; meterId: string }>;
}) {
  const { organization: slug, customerId, meterId } = await params;
  const organization = await getOrganizationBySlug(slug);
  const [customer, meter] = await Promise.all([
    api.getCustomer(customerId),
    api.getMeter(meterId),
  ]);
  if (!customer || customer.organizationId !== organization.id) notFound();
  if (!meter || meter.organizationId !== organization.id) notFound();
  return <h1>{customer.name}: {meter.name}</h1>;
}
