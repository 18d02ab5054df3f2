class _Task:
    def delay(self) -> None: ...


rebuild_search_index = _Task()


def record_payment(event: object) -> None: ...
