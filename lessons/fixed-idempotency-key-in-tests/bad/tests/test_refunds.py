import stripe


def test_refund_is_created(api):
    response = api.post(
        "/v1/refunds",
        json={"charge": "ch_1"},
        headers={"Idempotency-Key": "refund-test-1"},  # lessons: expect[fixed-idempotency-key-in-tests]
    )
    assert response.status_code == 201


def test_provider_refund(live_stripe):
    refund = stripe.Refund.create(
        charge="ch_1",
        idempotency_key="test-refund",  # lessons: expect[fixed-idempotency-key-in-tests]
    )
    assert refund.status == "succeeded"


def test_client_style(client):
    client.refunds.create(
        params={"charge": "ch_1"},
        options={"idempotency_key": 'same-every-time'},  # lessons: expect[fixed-idempotency-key-in-tests]
    )


def test_headers_built_up(session):
    headers = {"Authorization": "Bearer t"}
    headers["Idempotency-Key"] = "abc123"  # lessons: expect[fixed-idempotency-key-in-tests]
    session.post("/v1/orders", headers=headers)
