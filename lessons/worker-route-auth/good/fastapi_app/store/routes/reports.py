from fastapi import APIRouter
from fastapi_utils.cbv import cbv

from store.views_base import AuthedView

router = APIRouter(prefix="/reports")


@cbv(router)
class ReportViews(AuthedView):
    @router.post("")
    def create(self) -> dict[str, int]:
        return {"author": self.user.id}
