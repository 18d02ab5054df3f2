import { withQueueOrInternal } from "@/utils/queue";
import { sendEmail } from "@/utils/mail";

// A team's own QStash wrapper, named in the consumer-wrappers option (pyproject.toml).
export const POST = withQueueOrInternal(async (request: Request) => {
  const { accountId, items } = await request.json();
  await sendEmail({ accountId, items }); // lessons: expect[consumer-idempotency]
  return new Response("ok");
});
