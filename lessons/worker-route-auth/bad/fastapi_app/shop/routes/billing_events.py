import os

import stripe
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from shop.tasks import record_payment

router = APIRouter()


@router.post("/billing/events")
async def billing_events(request: Request) -> JSONResponse:  # lessons: expect[worker-route-auth]
    payload = await request.body()
    event = stripe.Event.construct_from(await request.json(), stripe.api_key)
    try:
        # verified only when the secret is set: a deploy without it records any event posted
        if os.environ.get("STRIPE_WEBHOOK_SECRET"):
            event = stripe.Webhook.construct_event(
                payload,
                request.headers.get("stripe-signature"),
                os.environ["STRIPE_WEBHOOK_SECRET"],
            )
    except stripe.error.SignatureVerificationError:
        return JSONResponse(status_code=401, content={"error": "bad signature"})
    record_payment(event)
    return JSONResponse({"ok": True})
