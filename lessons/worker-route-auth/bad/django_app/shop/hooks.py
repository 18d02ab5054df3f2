from django.http import HttpRequest

from shop.hook_base import CarrierHookView


class ParcelHook(CarrierHookView):
    def check_signature(self, request: HttpRequest, order) -> bool:
        # Named like a check, but any caller who sends some key passes.
        return request.GET.get("key") is not None
