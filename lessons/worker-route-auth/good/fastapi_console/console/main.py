from fastapi import FastAPI

from console import extensions, hooks
from console.middlewares import require_member
from console.projects import ProjectsRouter

app = FastAPI(title="console")
projects = ProjectsRouter()

app.include_router(projects.router, prefix="/projects")
app.include_router(hooks.router)

# The decorator applied by hand to a middleware kept in its own module.
app.middleware("http")(require_member)

# Routes added by a function from another module, on this app: behind `require_member` too.
app = extensions.install_routes(app)


@app.get("/healthz")
def healthz() -> dict[str, str]:
    return {"status": "ok"}
