from rest_framework import viewsets
from rest_framework.decorators import action, api_view
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response

from desk.models import Ticket


class TicketViewSet(viewsets.ModelViewSet):
    # DEFAULT_PERMISSION_CLASSES (IsAuthenticated) applies: the view sets none of its own
    queryset = Ticket.objects.all()

    @action(detail=True, methods=["post"])
    def escalate(self, request, pk=None):
        ticket = self.get_object()
        ticket.save()
        return Response({"ok": True})


class MacroViewSet(viewsets.ModelViewSet):
    permission_classes = [IsAdminUser]
    queryset = Ticket.objects.all()


@api_view(["GET"])
def stats(request):
    return Response({"open": Ticket.objects.filter(closed=False).count()})
