from fastapi import Depends, FastAPI

from store.billing import webhooks as billing
from store.coupons import endpoints as coupons
from store import oauth2
from store.deps import verify_worker_token
from store.account import profile as account_profile
from store.routes import (
    admin,
    internal,
    jobs,
    links,
    orders,
    refunds,
    reports,
    schedules,
    session,
    tasks,
)

app = FastAPI(title="store")
app.include_router(admin.router)
app.include_router(internal.router, prefix="/internal", dependencies=[Depends(verify_worker_token)])
app.include_router(orders.router)
app.include_router(reports.router)
app.include_router(session.router)
app.include_router(tasks.router)
app.include_router(jobs.router)
app.include_router(refunds.router)
app.include_router(coupons.router)
app.include_router(billing.router)
app.include_router(schedules.router)
app.include_router(links.router)
app.include_router(oauth2.router)
app.include_router(account_profile.router)
