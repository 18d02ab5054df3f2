from django.http import HttpResponse, HttpResponseBadRequest
from django.views import View

from desk.models import Ticket


class ForgeHookView(View):
    """One receiver for every code forge; each subclass says how its forge signs a delivery."""

    def check_signature(self, request, ticket):
        raise NotImplementedError

    def post(self, request, pk):
        ticket = Ticket.objects.get(pk=pk)
        # `self` is the subclass the url names, so its check_signature is the one that runs.
        if not self.check_signature(request, ticket):
            return HttpResponseBadRequest("bad signature")
        ticket.closed = True
        ticket.save()
        return HttpResponse(status=204)
