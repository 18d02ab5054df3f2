#!/bin/sh
set -e
echo "running alembic migrations"
alembic upgrade head
exec "$@"
