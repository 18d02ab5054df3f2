import { it, vi } from "vitest";

// Stubs in the file do not make a request to a real API quiet: its headers still carry the key.
const audit = vi.fn();

it("replays an order against the staging API", async () => {
  await fetch(`${process.env.STAGING_URL}/v1/orders`, {
    method: "POST",
    headers: { "Idempotency-Key": "staging-order-1" }, // lessons: expect[fixed-idempotency-key-in-tests]
  });
  audit("sent");
});
