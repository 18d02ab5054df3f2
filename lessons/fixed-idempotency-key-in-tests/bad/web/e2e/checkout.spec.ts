import { test, expect } from "@playwright/test";
import request from "supertest";

test("places an order", async ({ request: api }) => {
  const res = await api.post("/v1/orders", {
    data: { sku: "A1", qty: 1 },
    headers: { "Idempotency-Key": "e2e-order-1" }, // lessons: expect[fixed-idempotency-key-in-tests]
  });
  expect(res.status()).toBe(201);
});

test("refund through the SDK", async () => {
  await stripe.refunds.create(
    { payment_intent: "pi_1" },
    { idempotencyKey: `refund-fixed` }, // lessons: expect[fixed-idempotency-key-in-tests]
  );
});

test("supertest", async () => {
  await request(app)
    .post("/v1/orders")
    .set("Idempotency-Key", "order-key") // lessons: expect[fixed-idempotency-key-in-tests]
    .expect(201);
});
