from fastapi import FastAPI

from cartsnitch_api.routes import purchases

app = FastAPI(title="CartSnitch API")
app.include_router(purchases.router)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
