// A catch-all segment is a path, not an entity id: out of scope.
import { getLatestDocs } from "@/lib/docs";

export default async function DocsPage({ params }: { params: { slug: string[] } }) {
  const docs = await getLatestDocs();
  return <h1>{params.slug.join(" / ")} {docs.length}</h1>;
}
