import os

SECRET_KEY = os.environ.get("PORTAL_SECRET_KEY", "")
