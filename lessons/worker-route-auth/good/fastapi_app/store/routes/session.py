from fastapi import APIRouter

router = APIRouter()


@router.post("/login")
def login(username: str, password: str) -> dict[str, str]:
    # the auth flow itself (auth-flow-routes): reached before the caller has a credential
    return {"token": "..."}
