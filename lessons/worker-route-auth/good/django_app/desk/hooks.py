import hmac

from django.http import HttpRequest

from desk.hook_base import ForgeHookView


class ForgeCloseHook(ForgeHookView):
    def check_signature(self, request: HttpRequest, ticket) -> bool:
        sent = request.GET.get("key", "")
        # Each ticket's hook key lives in the database, not in settings.
        return hmac.compare_digest(ticket.hook_key, sent)
