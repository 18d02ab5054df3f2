from fastapi import APIRouter
from pydantic import BaseModel

router = APIRouter(prefix="/dev")


class DemoUser(BaseModel):
    email: str


# Included only when the app runs locally (see main.py): reported as a note (warning severity),
# which fails nothing, because a production deployment never serves it.
@router.post("/seed-user")
def seed_user(user: DemoUser) -> dict[str, str]:  # lessons: expect[worker-route-auth]
    return {"created": user.email}
