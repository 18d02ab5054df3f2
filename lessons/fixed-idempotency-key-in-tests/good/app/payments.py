import stripe


# Application code is not a test: its keys come from the request (another lesson's concern).
def refund(charge_id: str) -> None:
    stripe.Refund.create(charge=charge_id, idempotency_key="refund-constant")
