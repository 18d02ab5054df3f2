"use server";

import { after } from "next/server";
import { track } from "@vercel/analytics/server";

export async function upgradePlan(teamId: string, plan: string) {
  after(() => track("plan_upgraded", { teamId, plan }));
  return { teamId, plan };
}
