// From inbox-zero: params destructured out of Promise.all, then handed to a client component.
import { CancelBookingClient } from "./CancelBookingClient";

export default async function CancelBookingPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: Promise<{ token?: string }>;
}) {
  const [{ id }, { token }] = await Promise.all([params, searchParams]);
  return <CancelBookingClient id={id} bookingToken={token} />;
}
