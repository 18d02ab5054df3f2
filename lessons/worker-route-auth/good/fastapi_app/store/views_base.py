from fastapi import Depends

from store.deps import User, get_current_user


class AuthedView:
    user: User = Depends(get_current_user)
