// Pages Router: the id goes through props to the component, which loads it with SWR.
import useSWR from "swr";

export default function InvoicePage({ invoiceId }) {
  const { data } = useSWR(`/api/invoices/${invoiceId}`);
  return <p>{data?.total}</p>;
}

export const getStaticProps = async ({ params }) => {
  return { props: { invoiceId: params.invoiceId } };
};
