// `[lang]` selects a translation, not an entity (`ignored-params` in the lesson's options).
import { getDictionary } from "@/lib/i18n";

export default async function OrdersPage({ params }: { params: Promise<{ lang: string }> }) {
  const { lang } = await params;
  console.log("orders page", lang);
  const dict = await getDictionary("en");
  return <h1>{dict.orders.title}</h1>;
}
