from fastapi import FastAPI

from py_service.routers import (
    docs,
    exports,
    folders,
    labels,
    orders,
    orgs,
    projects,
    purchases,
    shared_pages,
    shipments,
    tickets,
)

app = FastAPI()
app.include_router(purchases.router)
app.include_router(orders.router)
app.include_router(projects.router)
app.include_router(docs.router)
app.include_router(folders.router)
app.include_router(tickets.router)
app.include_router(orgs.router)
app.include_router(shipments.shipments_router)
app.include_router(exports.router)
app.include_router(labels.router)
app.include_router(shared_pages.router)
