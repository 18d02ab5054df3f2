import { usersDueForReminder } from "@/lib/db";

// Called by Vercel Cron (a GET). This part was right: the secret is checked first.
export async function GET(request: Request) {
  if (request.headers.get("authorization") !== `Bearer ${process.env.CRON_SECRET}`) {
    return new Response("unauthorized", { status: 401 });
  }
  const due = await usersDueForReminder();
  await Promise.allSettled(
    due.map((row) =>
      fetch(new URL("/api/reorder-worker", request.url), {
        method: "POST",
        body: JSON.stringify({ ...row, cohort: row.userId.length % 2 ? "test" : "control" }),
      }),
    ),
  );
  return Response.json({ queued: due.length });
}
