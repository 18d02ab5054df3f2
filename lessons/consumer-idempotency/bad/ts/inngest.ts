import { Inngest } from "inngest";
import Stripe from "stripe";

const inngest = new Inngest({ id: "shop" });
const stripe = new Stripe(process.env.STRIPE_SECRET_KEY!);

async function notifyWarehouse(orderId: string) {
  await fetch(`${process.env.WAREHOUSE_URL}/orders`, {
    method: "POST",
    body: JSON.stringify({ orderId }),
  });
}

export const refund = inngest.createFunction(
  { id: "refund-order" },
  { event: "order/cancelled" },
  async ({ event, step }) => {
    await step.run("refund", () =>
      stripe.refunds.create({ payment_intent: event.data.paymentIntent }), // lessons: expect[consumer-idempotency]
    );
  },
);

export const ship = inngest.createFunction(
  { id: "ship-order" },
  { event: "order/paid" },
  async ({ event }) => {
    await notifyWarehouse(event.data.orderId); // lessons: expect[consumer-idempotency]
  },
);
