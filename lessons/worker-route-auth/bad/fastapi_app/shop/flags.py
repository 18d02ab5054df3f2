FLAGS: dict[str, bool] = {"bulk-import": True}
