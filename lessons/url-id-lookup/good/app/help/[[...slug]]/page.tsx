// An optional catch-all segment is a path, not an entity id: out of scope.
import { getHelpIndex } from "@/lib/help";

export default async function HelpPage({ params }: { params: Promise<{ slug?: string[] }> }) {
  const { slug } = await params;
  console.log("help page", slug);
  const index = await getHelpIndex();
  return <h1>{index.title}</h1>;
}
