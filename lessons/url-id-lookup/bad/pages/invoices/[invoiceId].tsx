// getStaticProps: the id is logged, the props come from the newest invoice.
import { getLatestInvoice } from "../../lib/invoices";

export default function InvoicePage({ invoice }) {
  return <p>{invoice.total}</p>;
}

export const getStaticProps = async ({ params }) => {
  console.info("building invoice page", params.invoiceId); // lessons: expect[url-id-lookup]
  const invoice = await getLatestInvoice();
  return { props: { invoice }, revalidate: 60 };
};
