// A page shell that also serves /tickets (see app/tickets/page.tsx), where there is no id:
// without one it opens the newest ticket, and a client component reads the id when there is.
import { auth } from "@/lib/auth";
import { getLatestTicketForUser } from "@/lib/tickets";
import { TicketView } from "./ticket-view";

export default async function TicketPage() {
  const session = await auth();
  const newest = await getLatestTicketForUser(session.user.id);
  return <TicketView fallback={newest} />;
}
