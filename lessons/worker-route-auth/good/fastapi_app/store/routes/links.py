from fastapi import APIRouter, Depends, HTTPException
from sqlalchemy import select
from sqlalchemy.orm import Session

router = APIRouter(prefix="/links")


def get_db() -> Session:
    return Session()


class Invitation:
    token: str
    accepted: bool


class Checkout:
    client_secret: str
    status: str


class LicenseKey:
    key: str
    activations: int


class _Licenses:
    def get_or_raise_by_key(self, db: Session, key: str) -> LicenseKey: ...


licenses = _Licenses()


# The invitation's unguessable token is the credential: a stranger without it finds nothing.
@router.post("/invitations/{token}/accept")
def accept_invitation(token: str, db: Session = Depends(get_db)) -> dict[str, bool]:
    invitation = db.scalars(select(Invitation).where(Invitation.token == token)).first()
    if invitation is None:
        raise HTTPException(status_code=404)
    invitation.accepted = True
    db.commit()
    return {"accepted": True}


# A checkout confirmed by the client secret handed to the buyer's browser only.
@router.post("/checkouts/{client_secret}/confirm")
def confirm_checkout(client_secret: str, db: Session = Depends(get_db)) -> dict[str, str]:
    checkout = db.query(Checkout).filter_by(client_secret=client_secret).one()
    checkout.status = "confirmed"
    db.commit()
    return {"status": checkout.status}


# A licence key activates itself: knowing the key is the right to use it.
@router.post("/licenses/activate")
def activate_license(key: str, db: Session = Depends(get_db)) -> dict[str, int]:
    license_key = licenses.get_or_raise_by_key(db, key)
    license_key.activations += 1
    db.commit()
    return {"activations": license_key.activations}
