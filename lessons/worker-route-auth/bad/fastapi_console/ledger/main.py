from fastapi import FastAPI

from ledger.entries import EntriesRouter
from ledger.middlewares import trace_requests

app = FastAPI(title="ledger")
entries = EntriesRouter()
app.include_router(entries.router, prefix="/entries")
app.middleware("http")(trace_requests)
