from alembic import context

from billing.models.meta import Base

target_metadata = Base.metadata


def run_migrations_online() -> None:
    import billing.models.invoice  # noqa: F401  (registers the tables)
    from billing.models import payment  # noqa: F401

    context.configure(target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
