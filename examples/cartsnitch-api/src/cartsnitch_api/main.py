from fastapi import FastAPI

from cartsnitch_api.routes import purchases, worker

app = FastAPI(title="CartSnitch API")
app.include_router(purchases.router)
app.include_router(worker.router)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
