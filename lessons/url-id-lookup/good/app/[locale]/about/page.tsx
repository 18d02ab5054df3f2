// Locale-like segments select a variant of the page, not an entity.
export default async function About({ params }: { params: Promise<{ locale: string }> }) {
  const { locale } = await params;
  return <h1 lang={locale}>About</h1>;
}
