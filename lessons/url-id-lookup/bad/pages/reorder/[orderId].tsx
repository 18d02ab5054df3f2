// The incident in Pages Router form: the id is passed through props, only to be shown.
import type { GetServerSideProps } from "next";
import { getLastEssentialByUserId } from "../../lib/orders";
import { getServerSession } from "next-auth";

export default function ReorderPage({ orderId, product }) {
  return (
    <main>
      <h1>Reorder #{orderId}</h1>
      <p>{product.name}</p>
    </main>
  );
}

export const getServerSideProps: GetServerSideProps = async ({ params, req, res }) => {
  const session = await getServerSession(req, res);
  const last = await getLastEssentialByUserId(session.user.id);
  return { props: { orderId: params.orderId, product: last.product } }; // lessons: expect[url-id-lookup]
};
