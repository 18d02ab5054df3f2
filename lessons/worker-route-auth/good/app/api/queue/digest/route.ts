// Vercel Queues deliver through handleCallback, which verifies the request comes from the queue.
import { handleCallback } from "@vercel/queue";
import { db } from "@/lib/db";

const queueHandler = handleCallback(async (message: { id: string }) => {
  await db.insert("digests", message);
});

export const POST = (request: Request) => queueHandler(request);
