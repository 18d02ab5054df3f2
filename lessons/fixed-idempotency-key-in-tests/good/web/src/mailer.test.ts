import { expect } from "@std/expect";
import { describe, test } from "@std/testing/bdd";
import { assertSpyCalls, stub } from "@std/testing/mock";
import { Mailer } from "./mailer";

// Deno's standard library stubs the provider's method in place: the fixed key handed to the
// code under test is only compared, never sent anywhere that remembers it.
describe("Mailer.sendDigest", () => {
  test("suffixes the caller's key with the batch number", async () => {
    const mailer = new Mailer({ apiKey: "test" });
    const send = stub(mailer.provider.batch, "send", () => Promise.resolve({ ok: true }));
    try {
      await mailer.sendDigest({ recipients: ["a@example.com"], idempotencyKey: "digest:42" });
      assertSpyCalls(send, 1);
      expect(send.calls[0].args[1]).toEqual({ idempotencyKey: "digest:42:0" });
    } finally {
      send.restore();
    }
  });
});
