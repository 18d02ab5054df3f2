import stripe
from fastapi import APIRouter, Depends, HTTPException, Request

from store.settings import settings

router = APIRouter(prefix="/billing")


class SignedStripeEvent:
    """Reads the event only after Stripe's helper has checked its signature header."""

    def __init__(self, signing_secret: str) -> None:
        self.signing_secret = signing_secret

    async def __call__(self, request: Request) -> stripe.Event:
        body = await request.body()
        try:
            return stripe.Webhook.construct_event(
                body, request.headers.get("Stripe-Signature", ""), self.signing_secret
            )
        except stripe.SignatureVerificationError as error:
            raise HTTPException(status_code=400) from error


@router.post("/stripe-events")
async def stripe_events(
    event: stripe.Event = Depends(SignedStripeEvent(settings.STRIPE_SIGNING_SECRET)),
) -> dict[str, str]:
    return {"received": event["type"]}
