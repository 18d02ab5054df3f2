import type { GetServerSideProps } from "next";
import { getOrderById } from "../../lib/orders";

export default function OrderPage({ order }) {
  return <div>{order.total}</div>;
}

export const getServerSideProps: GetServerSideProps = async ({ params }) => {
  const order = await getOrderById(params?.id as string);
  return { props: { order } };
};
