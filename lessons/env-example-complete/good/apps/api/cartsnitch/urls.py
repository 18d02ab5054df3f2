"""The API may be served under a sub-path: read only when set, the root otherwise."""

import os

API_ROOT = os.environ["API_ROOT"].rstrip("/") if os.environ.get("API_ROOT") else "/"
