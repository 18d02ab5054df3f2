from fastapi import FastAPI

from py_service.routers import (
    deliveries,
    folders,
    labels,
    orders,
    projects,
    purchases,
    receipts,
    statements,
)

app = FastAPI()
app.include_router(purchases.router)
app.include_router(orders.router)
app.include_router(projects.router)
app.include_router(deliveries.router)
app.include_router(folders.router)
# the URL's id comes from this module's prefix, the handler lives in receipts.py
app.include_router(receipts.router, prefix="/receipts/{receipt_id}")
app.include_router(labels.router)
app.include_router(statements.router)
