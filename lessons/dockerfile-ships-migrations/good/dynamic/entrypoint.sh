#!/bin/sh
cd "$MIGRATIONS_DIR"
alembic upgrade head
