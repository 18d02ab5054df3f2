from fastapi import FastAPI

from console import hooks
from console.middlewares import require_member

app = FastAPI(title="console")
app.include_router(hooks.router)
app.middleware("http")(require_member)
