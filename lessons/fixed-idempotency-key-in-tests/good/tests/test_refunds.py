import uuid
from uuid import uuid4

import stripe


def test_refund_is_created(api):
    response = api.post(
        "/v1/refunds",
        json={"charge": "ch_1"},
        headers={"Idempotency-Key": str(uuid.uuid4())},
    )
    assert response.status_code == 201


def test_provider_refund(live_stripe):
    stripe.Refund.create(charge="ch_1", idempotency_key=f"refund-{uuid4()}")


def test_duplicate_is_answered_once(api):
    # Deduplication is tested with one key made for this run, sent twice.
    key = f"order-{uuid4().hex}"
    first = api.post("/v1/orders", headers={"Idempotency-Key": key})
    again = api.post("/v1/orders", headers={"Idempotency-Key": key})
    assert (first.status_code, again.status_code) == (201, 409)


def test_key_built_by_concatenation(api, run_id):
    api.post("/v1/orders", headers={"idempotency_key": "order-" + run_id})


def test_other_headers_are_not_keys(api):
    api.post("/v1/orders", headers={"X-Request-Id": "fixed-request", "Idempotency-Key-Ttl": "60"})
    # A string that only mentions the header is not a header.
    assert "Idempotency-Key" in api.docs()


def test_the_key_the_code_derives(refunds, stripe_mock):
    # The literal is what the code under test must compute; nothing sends it.
    refunds.refund("ch_1")
    stripe_mock.Refund.create.assert_called_once_with(charge="ch_1", idempotency_key="refund-ch_1")
    assert stripe_mock.calls[0].kwargs == {"charge": "ch_1", "idempotency_key": "refund-ch_1"}


def test_a_record_is_not_a_request():
    row = {"id": 1, "idempotency_key": "stored-key"}
    assert row["idempotency_key"]
