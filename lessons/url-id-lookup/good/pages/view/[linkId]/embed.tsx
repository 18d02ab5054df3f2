// From papermark: the lookup lives in getStaticProps re-exported from the main view page;
// this page only adds telemetry with the id.
import { useEffect } from "react";
import { useRouter } from "next/router";
import { useAnalytics } from "@/lib/analytics";

export { getStaticProps, getStaticPaths } from "./index";

export default function EmbedPage(props) {
  const router = useRouter();
  const analytics = useAnalytics();
  useEffect(() => {
    if (!router.isReady || !router.query.linkId) return;
    analytics.capture("Embedded Link Loaded", { linkId: router.query.linkId as string });
  }, [router.isReady]);
  return <div>{props.document.name}</div>;
}
