// Upstash Workflow's serve() verifies the QStash signature of every call.
import { serve } from "@upstash/workflow/nextjs";
import { db } from "@/lib/db";

export const { POST } = serve<{ partnerId: string }>(async (context) => {
  await context.run("create", () => db.insert("commissions", context.requestPayload));
});
