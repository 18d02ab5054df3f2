from fastapi import FastAPI

from shop.config import settings
from shop.coupons import endpoints as coupons
from shop.routes import billing_events, exports, gated, jobs, keys, links, schedules, seed, worker
from shop.account import profile as account_profile

app = FastAPI(title="shop")
app.include_router(worker.router)
app.include_router(keys.router, prefix="/keys")
app.include_router(gated.router)
app.include_router(jobs.router)
app.include_router(exports.router)
app.include_router(coupons.router)
app.include_router(schedules.router)
app.include_router(links.router)

if settings.ENVIRONMENT == "local":
    app.include_router(seed.router)
app.include_router(account_profile.router)
app.include_router(billing_events.router)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
