"""A test's own app, built to see which ids the request logger picks up from the path.

Its handlers echo the ids and read the logger's context: nobody is ever served this app, so
the lesson does not read it.
"""

from fastapi import FastAPI

from py_service.logging_context import current_context


def build_app() -> FastAPI:
    app = FastAPI()

    @app.get("/teams/{team_id}/members/{member_id}")
    def member(team_id: str, member_id: str) -> dict[str, object]:
        return {"team_id": team_id, "member_id": member_id, "context": current_context()}

    return app


def test_path_ids_reach_the_log_context() -> None:
    assert build_app().routes
