import { withQueueOrInternal } from "@/utils/queue";
import { prisma } from "@/utils/prisma";
import { resend } from "@/utils/resend";

// The handler calls this file's own `sendEmail`, which claims the pending rows (PENDING ->
// SENDING in one conditional update) before it mails: a redelivery finds nothing to claim.
async function sendEmail(accountId: string) {
  const claimed = await claimPendingDigests(accountId);
  if (claimed.length === 0) return;
  await resend.emails.send({ to: accountId, subject: "Your digest", text: claimed.join() });
}

async function claimPendingDigests(accountId: string) {
  return prisma.digest.updateManyAndReturn({
    where: { accountId, status: "PENDING" },
    data: { status: "SENDING" },
  });
}

export const POST = withQueueOrInternal(async (request: Request) => {
  const { accountId } = await request.json();
  await sendEmail(accountId);
  return new Response("ok");
});
