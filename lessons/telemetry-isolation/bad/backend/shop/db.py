"""Stand-ins for the database writes the routes make."""


async def save_order(user_id: str) -> None: ...


async def save_refund(user_id: str) -> None: ...


async def create_user(user_id: str) -> None: ...
