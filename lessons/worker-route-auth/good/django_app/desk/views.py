import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_required, permission_required
from django.core.signing import BadSignature, TimestampSigner
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from desk.models import Profile, Ticket


def reindex(request):
    # login_required is applied where the url is declared
    Ticket.objects.filter(stale=True).delete()
    return HttpResponse("ok")


@login_required
def update_profile(request):
    profile = Profile.objects.get(user=request.user)
    profile.bio = request.POST.get("bio", "")
    profile.save()
    return JsonResponse({"ok": True})


@permission_required("desk.change_ticket")
def close_ticket(request, pk):
    ticket = Ticket.objects.get(pk=pk)
    ticket.closed = True
    ticket.save()
    return JsonResponse({"id": ticket.pk})


class ExportRun(LoginRequiredMixin, View):
    def post(self, request):
        Ticket.objects.filter(exported=False).update(exported=True)
        return JsonResponse({"ok": True})


@method_decorator(login_required, name="dispatch")
class SettingsView(View):
    def post(self, request):
        request.user.profile.save()
        return JsonResponse({"ok": True})


@csrf_exempt
def mailer_hook(request):
    # csrf_exempt is only a hint; the shared secret in the header is the check
    given = request.headers.get("X-Mailer-Token", "")
    if not hmac.compare_digest(given, settings.MAILER_HOOK_TOKEN):
        return HttpResponseForbidden()
    Ticket.objects.create(subject=request.POST["subject"])
    return HttpResponse("ok")


def purge(request):
    if request.headers.get("Authorization") != f"Bearer {settings.CRON_SECRET}":
        return HttpResponse(status=401)
    Ticket.objects.filter(closed=True).delete()
    return HttpResponse("ok")


def help_page(request):
    # serves every method, changes nothing
    return HttpResponse("help")


@require_POST
def logout_view(request):
    # the auth flow itself: matched by `auth-flow-routes` with or without the trailing slash
    request.session.flush()
    return HttpResponse("bye")


def stop_reports(request, token):
    # a signed link is the credential: unsign() refuses a forged or expired one
    signer = TimestampSigner(salt="reports")
    try:
        user_id = signer.unsign(token, max_age=3600)
    except BadSignature:
        return HttpResponse("bad link", status=400)
    profile = Profile.objects.get(user_id=user_id)
    profile.reports = False
    profile.save()
    return HttpResponse("unsubscribed")


def cron_docs(request):
    # a page about cron expressions under /cron/ starts no job
    return HttpResponse("*/5 * * * *")


@require_POST
def archive_my_tickets(request):
    # keyed on the caller: an anonymous user owns nothing (Django will not compare it with an
    # owner key), so a stranger cannot reach anyone's tickets
    for ticket in Ticket.objects.filter(owner=request.user, closed=True):
        ticket.stale = True
        ticket.save()
    return HttpResponse(status=204)
