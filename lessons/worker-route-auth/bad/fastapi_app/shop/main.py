from fastapi import FastAPI

from shop.routes import gated, jobs, keys, worker

app = FastAPI(title="shop")
app.include_router(worker.router)
app.include_router(keys.router, prefix="/keys")
app.include_router(gated.router)
app.include_router(jobs.router)


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
