from fastapi import APIRouter


class EntriesRouter:
    def __init__(self) -> None:
        self.router = APIRouter()
        self.router.add_api_route(  # lessons: expect[worker-route-auth]
            "/", self.post_entry, methods=["POST"]
        )

    async def post_entry(self, entry: dict[str, int]) -> dict[str, int]:
        return entry
