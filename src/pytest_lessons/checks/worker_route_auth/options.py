"""The options of `worker-route-auth`, shared by its halves (defaults in the lesson's TOML)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator

from pytest_lessons.options import LessonOptions

__all__ = ["PublicRoute", "WorkerRouteAuthOptions"]


class PublicRoute(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    glob: str
    reason: str

    @field_validator("reason")
    @classmethod
    def _has_reason(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a public route needs a reason")
        return value


class WorkerRouteAuthOptions(LessonOptions):
    auth_helpers: tuple[str, ...] = ()
    """Extra names of session helpers, wrappers and middlewares that authenticate."""
    public_routes: tuple[PublicRoute, ...] | dict[str, str] = ()
    """Route path globs that are public on purpose, each with the reason."""
    auth_flow_routes: tuple[str, ...] = ()
    """Route path globs of the authentication flow itself (sign-in, sign-up, OAuth callbacks):
    reached before the caller has any credential, so not flagged."""
    secret_name_patterns: tuple[str, ...] = ("*SECRET*", "*TOKEN*", "*KEY*")
    """Environment variable names (fnmatch, case-insensitive) that hold a shared secret."""

    def public(self) -> list[PublicRoute]:
        if isinstance(self.public_routes, dict):
            return [PublicRoute(glob=g, reason=r) for g, r in self.public_routes.items()]
        return list(self.public_routes)
