import { randomUUID } from "node:crypto";

test("places an order", async ({ request: api }) => {
  const key = randomUUID();
  await api.post("/v1/orders", { headers: { "Idempotency-Key": key } });
  await api.post("/v1/orders", { headers: { "Idempotency-Key": `order-${randomUUID()}` } });
  await stripe.refunds.create({ payment_intent: "pi_1" }, { idempotencyKey: key });
  await request(app).post("/v1/orders").set("Idempotency-Key", key).expect(201);
  // Other headers may be fixed.
  await request(app).post("/v1/orders").set("X-Request-Id", "fixed").expect(201);
});
