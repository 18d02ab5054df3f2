// Found quiet in real suites: keys in assertions, in fixture rows, in schema inputs.
it("derives the customer key from the organization", async () => {
  await ensureCustomer("org_1");
  expect(mocks.customersCreate).toHaveBeenCalledWith(
    { name: "Org 1" },
    { idempotencyKey: "ensure-customer-org_1" },
  );
  expect(step).toHaveBeenCalledWith(
    expect.objectContaining({ idempotency_key: "flow:step:invoke" }),
  );
});

const storedRun: RunRow = { id: "run_1", idempotencyKey: "idem-1", attempts: 0 };

it("accepts a key in the input schema", () => {
  expect(() => TestInput.parse({ idempotencyKey: "retry-1" })).not.toThrow();
  expect(TestInput.safeParse({ idempotencyKey: "" }).success).toBe(false);
});
