// Nested destructuring in the signature, and a component receiving every param by spread.
import { EditOrderForm } from "./edit-order-form";

export default function EditOrderPage({ params: { orderId } }: { params: { orderId: string } }) {
  return <EditOrderForm {...{ orderId }} />;
}
