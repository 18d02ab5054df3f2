import { redirect } from "next/navigation";

export default async function ShortLink(props: { params: Promise<{ shortId: string }> }) {
  const params = await props.params;
  redirect(`/orders/${params.shortId}`);
}
