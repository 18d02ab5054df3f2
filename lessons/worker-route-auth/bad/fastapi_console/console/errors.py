class ConsoleError(Exception):
    """Every error the console answers with; the exception handler turns `http_status` into the
    response's status."""

    http_status = 500


class SignedOut(ConsoleError):
    http_status = 401
