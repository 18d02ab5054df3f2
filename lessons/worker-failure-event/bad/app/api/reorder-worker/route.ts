import { loadCohort, assignCohort } from "@/lib/cohorts";

// Fan-out through a helper of the same file: the helper's catch runs once per user.
async function processUser(userId: string) {
  try {
    await assignCohort(userId);
  } catch { // lessons: expect[worker-failure-event]
    // skip this user, the next run will retry
    return;
  }
}

export async function POST(req: Request) {
  const { experimentId } = await req.json();
  const users = await loadCohort(experimentId);
  // the settled results are dropped: every rejection disappears
  await Promise.allSettled(users.map((u) => processUser(u.id))); // lessons: expect[worker-failure-event]
  return Response.json({ ok: true });
}
