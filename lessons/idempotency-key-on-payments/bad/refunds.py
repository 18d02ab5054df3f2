import stripe
from stripe import StripeClient

client = StripeClient("sk_test")


def refund_order(order, amount):
    # The refund incident: retried on timeout, refunded twice.
    return stripe.Refund.create(  # lessons: expect[idempotency-key-on-payments]
        charge=order.charge_id,
        amount=amount,
    )


async def pay_out(account, amount):
    await stripe.Payout.create_async(amount=amount, currency="usd", stripe_account=account)  # lessons: expect[idempotency-key-on-payments]


def charge(customer, amount):
    intent = stripe.PaymentIntent.create(amount=amount, currency="eur", customer=customer)  # lessons: expect[idempotency-key-on-payments]
    stripe.Transfer.create(amount=amount, currency="eur", destination="acct_1")  # lessons: expect[idempotency-key-on-payments]
    stripe.Charge.create(amount=amount, currency="eur", source="tok_visa")  # lessons: expect[idempotency-key-on-payments]
    return intent


def refund_with_client(payment_intent):
    client.refunds.create(params={"payment_intent": payment_intent})  # lessons: expect[idempotency-key-on-payments]
    # Options that name everything but the key.
    client.v1.refunds.create(  # lessons: expect[idempotency-key-on-payments]
        params={"payment_intent": payment_intent},
        options={"stripe_account": "acct_1"},
    )


@retry(times=3, name="once_per_key")
def refund_with_retries(refund):
    # A retry is the opposite of a mark; a mark's name in the arguments does not count.
    stripe.Refund.create(charge=refund.charge_id, amount=refund.amount)  # lessons: expect[idempotency-key-on-payments]


@once_per_key_cached
def refund_cached(refund):
    # Only whole names count: once_per_key_cached is not once_per_key.
    stripe.Refund.create(charge=refund.charge_id, amount=refund.amount)  # lessons: expect[idempotency-key-on-payments]


def refund_in_ledger(ledger, refund):
    with ledger.lock(f"refund-{refund.id}", name="once_per_key"):
        stripe.Refund.create(charge=refund.charge_id)  # lessons: expect[idempotency-key-on-payments]
