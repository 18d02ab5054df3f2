// The helper that compares the shared secret runs before the request to the accounting
// service; the work sits inside a function that runs only once the check has passed.
import { requireLedgerKey } from "@/lib/ledger";

export async function POST(req: Request) {
  const period = new URL(req.url).searchParams.get("period");
  const close = async () =>
    fetch("https://accounting.internal/close", {
      method: "POST",
      body: JSON.stringify({ period }),
    });
  await requireLedgerKey(req);
  await close();
  return Response.json({ closed: period });
}
