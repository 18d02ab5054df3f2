from typing import Annotated

from fastapi import Depends

from store.access import ScopeCheck

_CouponsWrite = ScopeCheck(scopes={"coupons:write"})
CouponsWrite = Annotated[object, Depends(_CouponsWrite)]
