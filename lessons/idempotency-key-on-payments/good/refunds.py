import stripe
from stripe import StripeClient

from billing.idempotency import idempotent, once_per_key

client = StripeClient("sk_test")


def refund_order(order, amount):
    return stripe.Refund.create(
        charge=order.charge_id, amount=amount, idempotency_key=f"refund-{order.id}"
    )


async def transfer(**params):
    # The key travels in the keyword arguments the caller built.
    return await stripe.Transfer.create_async(**params)


def refund_with_client(payment_intent, refund_id, options):
    client.v1.refunds.create(
        params={"payment_intent": payment_intent},
        options={"idempotency_key": f"refund-{refund_id}"},
    )
    client.refunds.create(params={"payment_intent": payment_intent}, options=options)


def reads_are_safe(charge_id):
    # Retrieving and listing move nothing.
    stripe.Refund.retrieve("re_1")
    stripe.Refund.list(charge=charge_id)
    stripe.Charge.retrieve(charge_id)
    stripe.Customer.create(email="a@example.com")  # creates no money movement


@idempotent(key=lambda order: f"payout-{order.id}")
def pay_out(order):
    # The team's decorator stores the result under the key and replays it on a retry.
    stripe.Payout.create(amount=order.amount, currency="usd")


def pay_out_once(order, store):
    with store.idempotent(f"payout-{order.id}"):
        stripe.Payout.create(amount=order.amount, currency="usd")


@once_per_key(lambda refund: f"refund-{refund.id}")
def refund_once(refund):
    # A mark the team named in its config (pyproject.toml).
    stripe.Refund.create(charge=refund.charge_id, amount=refund.amount)


async def refund_in_ledger(ledger, refund):
    async with ledger.once_per_key(f"refund-{refund.id}") as slot:
        await stripe.Refund.create_async(charge=refund.charge_id, amount=slot.amount)
