it("creates once", async () => {
  // lessons: expect[fixed-idempotency-key-in-tests]
  const res = await post("/v1/orders", { headers: { idempotency_key: "k1" } });
  expect(res.status).toBe(201);
});
