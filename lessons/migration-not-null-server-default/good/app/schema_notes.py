"""Not a migration: mentions add_column( in text only, and has no upgrade() function."""

HOWTO = "op.add_column(table, sa.Column(name, type, nullable=False)) needs a server_default"


def add_column(table, column):
    return f"{table}.{column}"


add_column("users", "token")
