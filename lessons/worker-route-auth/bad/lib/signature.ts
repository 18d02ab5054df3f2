import { createHmac, timingSafeEqual } from "node:crypto";

// Answers true or false; it never throws, so a caller that drops the answer checks nothing.
export function verifySignature(body: string, header: string | null): boolean {
  const expected = createHmac("sha256", process.env.PAYOUT_WEBHOOK_SECRET ?? "")
    .update(body)
    .digest("hex");
  return header !== null && timingSafeEqual(Buffer.from(expected), Buffer.from(header));
}
