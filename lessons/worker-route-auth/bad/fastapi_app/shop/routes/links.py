from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import select
from sqlalchemy.orm import Session

router = APIRouter(prefix="/links")


def get_db() -> Session:
    return Session()


class Invoice:
    public_id: str
    paid: bool


class Workspace:
    slug: str
    archived: bool


class _Workspaces:
    def get_by_slug(self, db: Session, slug: str) -> Workspace: ...


workspaces = _Workspaces()


class TokenServer:
    """A home-made server: nothing says its token endpoint checks the client."""

    def create_token_response(self, request: Request) -> Response:
        return Response()


# A public id is printed on the invoice and in its URL: anyone who has seen it can mark it paid.
@router.post("/invoices/{public_id}/mark-paid")
def mark_paid(public_id: str, db: Session = Depends(get_db)) -> dict[str, bool]:  # lessons: expect[worker-route-auth]
    invoice = db.scalars(select(Invoice).where(Invoice.public_id == public_id)).one()
    invoice.paid = True
    db.commit()
    return {"paid": True}


# A slug is a name, not a secret.
@router.post("/workspaces/{slug}/archive")
def archive(slug: str, db: Session = Depends(get_db)) -> dict[str, bool]:  # lessons: expect[worker-route-auth]
    workspace = workspaces.get_by_slug(db, slug)
    workspace.archived = True
    db.commit()
    return {"archived": True}


# Without authlib's AuthorizationServer, a method called create_token_response proves nothing.
@router.post("/token")
def token(request: Request) -> Response:  # lessons: expect[worker-route-auth]
    return TokenServer().create_token_response(request)
