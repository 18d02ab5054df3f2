from fastapi import APIRouter, Request


class ProjectsRouter:
    """The console keeps each area's router on an object built with its services."""

    def __init__(self) -> None:
        self.router = APIRouter()
        self.router.add_api_route("/", self.create_project, methods=["POST"])
        self.router.add_api_route("/{project_id}", self.rename_project, methods=["PATCH"])

    async def create_project(self, request: Request) -> dict[str, str]:
        return {"owner": request.state.member}

    async def rename_project(self, project_id: str) -> dict[str, str]:
        return {"project": project_id}
