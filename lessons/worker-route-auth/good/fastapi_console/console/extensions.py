from fastapi import FastAPI

from console import invoices


def install_routes(app: FastAPI) -> FastAPI:
    # Optional modules register their routers on the app they are handed, so they sit behind
    # whatever middleware that app already has.
    app.include_router(invoices.router, prefix="/invoices")
    return app
