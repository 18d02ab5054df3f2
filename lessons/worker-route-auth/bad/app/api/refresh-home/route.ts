import { revalidatePath } from "next/cache";

// Answers 200 too, but first throws away the home page's cache, for anyone who asks.
export function POST() { // lessons: expect[worker-route-auth]
  revalidatePath("/");
  return Response.json({ ok: true });
}
