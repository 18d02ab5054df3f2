"""Modules written in syntax newer than Python 3.11's `ast` reads (PEP 695 `type` aliases and
generics, PEP 758 exception lists), which `modern_syntax` rewrites for the running interpreter.

The reader comparisons add these to their snippets: each layer's `ast` reader must give on them
what its libcst reader, which reads this syntax natively, gives. One module exercises every
layer (imports and assignments, telemetry, routes with path parameters, raises and checks,
loops that swallow errors) so each comparison has something to compare.
"""

from __future__ import annotations

MODERN_SAMPLES = {
    "modern syntax (PEP 695, PEP 758)": """
        import asyncio
        import posthog
        from fastapi import APIRouter, Depends, Header, HTTPException
        from app.t import track

        router = APIRouter()
        type Handler[T] = Callable[[T], Awaitable[None]]
        type Lookup = dict[str, "Item"]  # a comment after it
        SECRET = os.environ["HOOK_SECRET"]; type Inline = int


        class Repository[T: Base, *Ts](Generic):
            client = posthog.Posthog("k")
            type Key = int

            def get[K](self, session, item_id: K) -> T:
                try:
                    return session.get(Item, item_id)
                except KeyError, LookupError:
                    raise HTTPException(status_code=404)


        @router.get("/items/{item_id}")
        async def read_item[
            T,  # the item type
        ](item_id: int, session=Depends(get_session), token: str = Header()) -> T:
            if token != SECRET:
                raise HTTPException(status_code=401)
            try:
                posthog.capture("u", "read")
            except ValueError, KeyError:
                pass
            try:
                track("responds")
            except httpx.HTTPError, OSError :
                raise HTTPException(status_code=502)
            return session.get(Item, item_id)


        async def run_all[T](items: list[T], queue) -> None:
            for item in items:
                try:
                    await track("item")
                    process(item)
                except (OSError), TimeoutError:
                    logger.error("failed")
                except httpx.HTTPError,ValueError: continue
            await asyncio.gather(*(send(i) for i in items))
            queue.enqueue(run_all, items)
    """,
}

MODERN_GROUP_SAMPLES = {
    "modern exception groups (PEP 758 except*)": """
        import posthog
        from app.t import track

        async def drain(jobs):
            for job in jobs:
                try:
                    posthog.capture("u", job)
                    await track(job)
                except* OSError, TimeoutError:
                    pass
                except* ValueError,KeyError: log("failed")
    """,
}
"""`except*` needs Python 3.11 even rewritten: on 3.10 the comparisons skip these."""

MODERN_MIGRATION = """
    import sqlalchemy as sa
    from alembic import op

    type Revision = str
    revision: Revision = "2024_06_01_a_revision_id_longer_than_thirty_two_bytes"
    down_revision = None

    def _column[T](name: str, kind: T) -> sa.Column:
        return sa.Column(name, kind, nullable=False)

    def upgrade() -> None:
        op.add_column("orders", sa.Column("total", sa.Numeric(), nullable=False))
        try:
            op.alter_column("alembic_version", "version_num", type_=sa.String(length=64))
        except KeyError, ValueError:
            op.execute("ALTER TABLE alembic_version ALTER version_num TYPE VARCHAR(80)")
        with op.batch_alter_table("teams") as batch_op:
            batch_op.alter_column("name", nullable=False)
"""
"""A migration module in the new syntax, for the readers of migrations."""
