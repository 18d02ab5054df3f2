from fastapi import Header, HTTPException, status

from shop import settings_store

_hits: dict[str, int] = {}


def rate_limit_by_key(x_api_key: str = Header(default="anonymous")) -> None:
    # The caller's key only picks the bucket: any value passes until the bucket fills.
    bucket = f"{settings_store.RATE_KEY_PREFIX}:{x_api_key}"
    _hits[bucket] = _hits.get(bucket, 0) + 1
    if _hits[bucket] > settings_store.RATE_LIMIT:
        raise HTTPException(status_code=status.HTTP_403_FORBIDDEN, detail="slow down")
