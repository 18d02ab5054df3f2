import Stripe from "stripe";

const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

export async function refundOrder(paymentIntentId: string): Promise<Stripe.Refund> {
  return stripe.refunds.create({ payment_intent: paymentIntentId }); // lessons: expect[idempotency-key-on-payments]
}

export async function payOut(accountId: string, amount: number): Promise<void> {
  // lessons: expect[idempotency-key-on-payments]
  await stripe.payouts.create(
    { amount, currency: "usd" },
    { stripeAccount: accountId },
  );
  await stripe.transfers.create({ amount, currency: "usd", destination: accountId }); // lessons: expect[idempotency-key-on-payments]
}

export class Billing {
  constructor(private readonly stripe: Stripe) {}

  charge(amount: number) {
    return this.stripe.paymentIntents.create({ amount, currency: "eur" }); // lessons: expect[idempotency-key-on-payments]
  }
}

// A wrapper that retries is no mark, and a mark must wrap the function itself.
export const refundWithRetries = withRetries(async (paymentIntentId: string) => {
  await stripe.refunds.create({ payment_intent: paymentIntentId }); // lessons: expect[idempotency-key-on-payments]
});

export const refundLater = withIdempotency(
  "refund",
  queue.defer(async (paymentIntentId: string) => {
    await stripe.refunds.create({ payment_intent: paymentIntentId }); // lessons: expect[idempotency-key-on-payments]
  }),
);

export class Payouts {
  @Idempotent()
  describe() {
    return "payouts";
  }

  async payOut(accountId: string, amount: number) {
    await stripe.payouts.create({ amount, currency: "usd" }, { stripeAccount: accountId }); // lessons: expect[idempotency-key-on-payments]
  }
}
