import Stripe from "stripe";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function refundOrder(paymentIntentId: string, refundId: string) {
  return stripe.refunds.create(
    { payment_intent: paymentIntentId },
    { idempotencyKey: `refund-${refundId}` },
  );
}

export async function payOut(accountId: string, amount: number, idempotencyKey: string) {
  await stripe.payouts.create({ amount, currency: "usd" }, { stripeAccount: accountId, idempotencyKey });
}

export async function transfer(params: Stripe.TransferCreateParams, options: Stripe.RequestOptions) {
  // Options built elsewhere, or spread in: the key may be in them.
  await stripe.transfers.create(params, options);
  await stripe.transfers.create(params, { ...options, stripeAccount: "acct_1" });
}

export async function reads(id: string) {
  await stripe.refunds.retrieve(id);
  await stripe.paymentIntents.list({ limit: 10 });
  await stripe.customers.create({ email: "a@example.com" });
}

// Marks the team named in its config (pyproject.toml): a wrapper, and a method decorator.
export const refundOnce = withIdempotency(async (refundId: string, paymentIntentId: string) => {
  await stripe.refunds.create({ payment_intent: paymentIntentId });
});

export class Payouts {
  @Logged()
  @Idempotent({ key: (accountId: string) => `payout-${accountId}` })
  async payOut(accountId: string, amount: number) {
    await stripe.payouts.create({ amount, currency: "usd" }, { stripeAccount: accountId });
  }
}
