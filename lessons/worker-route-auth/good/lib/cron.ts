import { timingSafeEqual } from "node:crypto";

function secretMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function hasCronSecret(req: Request): boolean {
  return secretMatches(req.headers.get("authorization") ?? "", `Bearer ${process.env.CRON_SECRET}`);
}
