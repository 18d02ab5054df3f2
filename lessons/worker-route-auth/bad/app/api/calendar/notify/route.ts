// The calendar provider echoes the subscription's state string in every notification, and the
// route compares it with CALENDAR_HOOK_STATE. With the variable unset, a notification that
// leaves the field out compares undefined with undefined, passes, and starts a sync.
export async function POST(req: Request) { // lessons: expect[worker-route-auth]
  const { notifications } = await req.json();
  for (const note of notifications) {
    if (note.subscriptionState !== process.env.CALENDAR_HOOK_STATE) {
      return new Response("unknown subscription", { status: 403 });
    }
  }
  await fetch("https://sync.internal/calendar", { method: "POST" });
  return Response.json({ accepted: notifications.length });
}
