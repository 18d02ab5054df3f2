// Pages Router: getServerSideProps never reads `params` and loads the user's newest ticket.
import type { GetServerSideProps } from "next";
import { getServerSession } from "next-auth";
import { getLatestTicketForUser } from "../../lib/tickets";

// lessons: expect[url-id-lookup]
export default function TicketPage({ ticket }) {
  return <h1>{ticket.subject}</h1>;
}

export const getServerSideProps: GetServerSideProps = async ({ req, res }) => {
  const session = await getServerSession(req, res);
  const ticket = await getLatestTicketForUser(session.user.id);
  return { props: { ticket } };
};
