from django.http import HttpResponse
from django.views.decorators.http import require_GET

from jobs.tasks import expire, send_digest


# The scheduler calls GET; the method says "read", the body starts a job for everyone.
@require_GET
def nightly_digest(request):  # lessons: expect[worker-route-auth]
    send_digest.delay()
    return HttpResponse("queued")


@require_GET
def expire_carts(request):  # lessons: expect[worker-route-auth]
    expire()
    return HttpResponse("done")
