"use server";

import { track } from "@vercel/analytics/server";

// Vercel's server-side `track` is a request to Vercel's collector: awaited bare, an outage of
// that collector fails the upgrade the user asked for.
export async function upgradePlan(teamId: string, plan: string) {
  await track("plan_upgraded", { teamId, plan }); // lessons: expect[telemetry-isolation]
  return { teamId, plan };
}
