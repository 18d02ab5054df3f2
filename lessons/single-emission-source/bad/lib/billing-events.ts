import { track } from "@vercel/analytics/server";

// Importing Vercel's server entry point makes this server code.
export async function recordPlanChoice(teamId: string) {
  await track("plan_chosen", { teamId }).catch(() => undefined); // lessons: expect[single-emission-source]
}
