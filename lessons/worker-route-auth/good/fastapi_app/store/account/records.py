class _Sessions:
    async def find(self, sid: str) -> dict[str, str] | None:
        return None


sessions = _Sessions()
