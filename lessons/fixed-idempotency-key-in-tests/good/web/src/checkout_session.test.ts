import { describe, expect, it, vi } from "vitest";
import { openCheckout } from "./openCheckout";

// A unit test: the payment client is a stub made here, so the fixed keys handed to the code
// under test never reach a store that outlives the run.
function stubPayments() {
  const create = vi.fn(async () => ({ id: "cs_1", url: "https://pay.test/cs_1" }));
  return { client: { sessions: { create } }, create };
}

describe("openCheckout", () => {
  it("passes the caller's key through", async () => {
    const { client, create } = stubPayments();
    await openCheckout(client, { plan: "pro", idempotencyKey: "checkout:team_1:pro" });
    expect(create).toHaveBeenCalledTimes(1);
  });

  it("makes a new key when the plan changes", async () => {
    const first = stubPayments();
    const second = stubPayments();
    await openCheckout(first.client, { plan: "pro", idempotencyKey: "checkout:team_1" });
    await openCheckout(second.client, { plan: "team", idempotencyKey: "checkout:team_1" });
    expect(first.create.mock.calls[0]).not.toEqual(second.create.mock.calls[0]);
  });
});
