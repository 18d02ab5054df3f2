"""Scoped access checks, made by a factory so each route's scopes show up in the API docs."""

from fastapi import HTTPException, Security

from store.deps import get_current_user


class _ScopeCheck:
    def __init__(self, *, scopes: frozenset[str]) -> None:
        self.scopes = scopes

    async def __call__(self, user: object) -> object:
        if user is None:
            raise HTTPException(status_code=401)
        return user


def ScopeCheck(scopes: set[str]) -> _ScopeCheck:
    # The subclass only re-declares __call__ so the scopes reach the documentation; the
    # refusal is the base class's.
    documented = Security(get_current_user, scopes=sorted(scopes))

    class _DocumentedScopeCheck(_ScopeCheck):
        async def __call__(self, user: object = documented) -> object:
            return await super().__call__(user)

    return _DocumentedScopeCheck(scopes=frozenset(scopes))
