import { loadCohort, markFailed, sendReorder } from "@/lib/reorders";

export async function POST() {
  const users = await loadCohort("reorder");
  // the failure is recorded where the dashboard reads it
  await Promise.all(
    users.map((u) => sendReorder(u.id).catch((error) => markFailed(u.id, String(error)))),
  );
  // one catch around the whole batch is not per item; it logs and the run still returns 500
  try {
    await Promise.all(users.map((u) => sendReorder(u.id)));
  } catch (error) {
    console.error("batch failed", error);
    return Response.json({ ok: false }, { status: 500 });
  }
  return Response.json({ ok: true });
}
