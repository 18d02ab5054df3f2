#!/bin/sh
alembic upgrade head
exec gunicorn app.wsgi
