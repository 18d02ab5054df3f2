from fastapi import FastAPI

from partners import payouts
from partners.guard import require_partner_key

app = FastAPI(title="partners")
app.middleware("http")(require_partner_key)

# A second app, served on the internal port, with no middleware at all.
internal = FastAPI(title="partners-internal")


def add_payout_routes(app: FastAPI) -> None:
    # `app` here is whatever the caller passes, not the module's guarded `app`.
    app.include_router(payouts.router)


add_payout_routes(internal)
