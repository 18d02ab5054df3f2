// The page never touches params: a client component below reads them with useParams().
import { ShipmentView } from "./shipment-view";

export default function ShipmentPage() {
  return <ShipmentView />;
}
