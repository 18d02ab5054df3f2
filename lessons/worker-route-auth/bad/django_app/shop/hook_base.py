from django.http import HttpResponse, HttpResponseBadRequest
from django.views import View

from shop.models import Order


class CarrierHookView(View):
    """One receiver for every carrier; each subclass says how its carrier proves who it is."""

    def check_signature(self, request, order):
        raise NotImplementedError

    def post(self, request, pk):  # lessons: expect[worker-route-auth]
        order = Order.objects.get(pk=pk)
        if not self.check_signature(request, order):
            return HttpResponseBadRequest("bad signature")
        order.exported = True
        order.save()
        return HttpResponse(status=204)
