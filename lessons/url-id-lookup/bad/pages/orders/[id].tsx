import type { GetServerSideProps } from "next";
import { getSession } from "next-auth/react";
import { getRecentOrder } from "../../lib/orders";

export default function OrderPage({ order }) {
  return <div>{order.total}</div>;
}

export const getServerSideProps: GetServerSideProps = async (context) => {
  const id = context.params?.id as string; // lessons: expect[url-id-lookup]
  const session = await getSession(context);
  logger.info({ id }, "order page");
  const order = await getRecentOrder(session.user.id);
  return { props: { order, title: `Order ${id}` } };
};
