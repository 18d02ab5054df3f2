import { posthog } from "@/lib/posthog";
import { assignCohort, loadCohort } from "@/lib/cohorts";

async function processUser(userId: string) {
  try {
    await assignCohort(userId);
  } catch (error) {
    console.error("cohort assignment failed", userId);
    throw error; // the settled result below counts it
  }
}

export async function POST() {
  const users = await loadCohort("reorder");
  const results = await Promise.allSettled(users.map((u) => processUser(u.id)));
  const failed = results.filter((r) => r.status === "rejected").length;
  await posthog.captureImmediate({
    distinctId: "cron",
    event: "cron_run_completed",
    properties: { failed, succeeded: users.length - failed },
  });
  // each promise catches and records its own failure, so nothing is lost in this batch
  const failures: string[] = [];
  await Promise.allSettled(
    users.map((u) => assignCohort(u.id).catch(() => failures.push(u.id))),
  );
  return Response.json({ failed, retried: failures.length });
}

// Best-effort cleanup of scratch keys that expire anyway: no item is lost if one fails.
export async function DELETE() {
  const key = "cohort-import";
  await Promise.allSettled([redis.del(`${key}:rows`), redis.del(`${key}:failed`)]);
  return Response.json({ ok: true });
}
