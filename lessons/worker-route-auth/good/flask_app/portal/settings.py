import os

SECRET_KEY = os.environ.get("PORTAL_SECRET_KEY", "")
DIRECTORY_URL = "ldaps://directory.example.com"
