"""Read replicas, when there are any."""

import os

PRIMARY = "primary"


def database_urls() -> list[str]:
    # Optional: without the variable every query goes to the primary. The early return is the
    # statement form of `os.getenv("CARTSNITCH_REPLICA_URLS") or PRIMARY`.
    if not os.environ.get("CARTSNITCH_REPLICA_URLS"):
        return [PRIMARY]
    return os.environ["CARTSNITCH_REPLICA_URLS"].split(",")


def release() -> str:
    if "CARTSNITCH_RELEASE" in os.environ:
        return os.environ["CARTSNITCH_RELEASE"]
    return "development"
