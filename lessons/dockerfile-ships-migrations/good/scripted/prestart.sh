#!/bin/bash
set -e
cd db && alembic -c conf/alembic.ini upgrade head
cd - && exec python -m app
