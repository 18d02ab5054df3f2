"use client";
// From papermark: the page never names the id; its hooks read it from the router and the page
// loads by what they return, which a look at this file alone cannot tie to the URL.
import { useReport } from "@/lib/swr/use-report";
import { useTeam } from "@/context/team-context";

export default function ReportPage() {
  const team = useTeam();
  const { report } = useReport();
  const history = fetchReportHistory(team.id, report?.id);
  return <h1>{report?.name} {history.length}</h1>;
}
