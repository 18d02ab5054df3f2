export async function requireLedgerKey(req: Request): Promise<void> {
  if (req.headers.get("x-ledger-key") !== process.env.LEDGER_SECRET) {
    throw new Response("unauthorized", { status: 401 });
  }
}
