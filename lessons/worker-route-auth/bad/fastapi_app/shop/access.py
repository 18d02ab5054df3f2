"""A scope check that only records what it saw: every caller gets through."""

import logging

from fastapi import Security

from shop.deps import current_caller

log = logging.getLogger(__name__)


class _ScopeCheck:
    def __init__(self, *, scopes: frozenset[str]) -> None:
        self.scopes = scopes

    async def __call__(self, caller: object) -> object:
        log.info("scopes %s asked by %s", sorted(self.scopes), caller)
        return caller


def ScopeCheck(scopes: set[str]) -> _ScopeCheck:
    documented = Security(current_caller, scopes=sorted(scopes))

    class _DocumentedScopeCheck(_ScopeCheck):
        async def __call__(self, caller: object = documented) -> object:
            return await super().__call__(caller)

    return _DocumentedScopeCheck(scopes=frozenset(scopes))
