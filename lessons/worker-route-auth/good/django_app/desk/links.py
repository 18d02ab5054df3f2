from datetime import datetime, timedelta

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_POST

from desk.models import Watcher


def confirm_watcher(request, pk, token):
    watcher = get_object_or_404(Watcher, pk=pk)
    # The token in the link is compared with one derived from the server's secret key.
    if watcher.confirm_token() == token:
        watcher.confirmed = True
        watcher.save()
        return HttpResponse("confirmed")
    return HttpResponse("this link is not valid", status=400)


@require_POST
def due_date_preview(request):
    # POST only because the form is long; the view computes a date and renders it.
    days = int(request.POST.get("days", "0"))
    due = datetime.now() + timedelta(days=days)
    return render(request, "due_preview.html", {"due": due.date().isoformat()})
