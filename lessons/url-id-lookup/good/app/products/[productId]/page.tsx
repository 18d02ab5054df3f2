// The id is handed to a child component that loads it (children are not followed: a prop counts).
import { ProductDetails } from "@/components/product-details";

export default async function ProductPage({ params }: { params: Promise<{ productId: string }> }) {
  const { productId } = await params;
  return <ProductDetails productId={productId} />;
}
