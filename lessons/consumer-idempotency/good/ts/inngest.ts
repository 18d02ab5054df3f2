import { Inngest } from "inngest";

const inngest = new Inngest({ id: "shop" });

export const receipt = inngest.createFunction(
  { id: "send-receipt", idempotency: "event.data.orderId" },
  { event: "order/paid" },
  async ({ event }) => {
    await fetch(process.env.RECEIPTS_URL!, { method: "POST", body: JSON.stringify(event.data) });
  },
);

export const warm = inngest.createFunction(
  { id: "warm-cache" },
  { cron: "0 * * * *" },
  async () => {
    await fetch(`${process.env.APP_URL}/api/products`); // a GET: nothing changes elsewhere
  },
);
