"""worker-route-auth on Django and DRF: url chains to views, and what guards a view."""

from __future__ import annotations

import textwrap

from pytest_lessons.findings import Finding
from pytest_lessons.testing import judge_files
from pytest_lessons.testing import make_check as build_check

SETTINGS = """
ROOT_URLCONF = "site_app.urls"
MIDDLEWARE = ["django.contrib.auth.middleware.AuthenticationMiddleware"]
"""
URLS = """
from django.urls import include, path
from site_app import views
urlpatterns = [
    path("jobs/", include("jobs.urls")),
    path("run/<int:pk>/", views.run),
]
"""
JOB_URLS = """
from django.urls import path, re_path
from jobs import views
urlpatterns = [
    re_path(r"^sync/(?P<account_id>[0-9]+)/$", views.Sync.as_view()),
]
"""


def run(files: dict[str, str], **overrides: object) -> list[Finding]:
    check = build_check("worker-route-auth", **overrides)
    sources = {
        "site_app/__init__.py": "",
        "jobs/__init__.py": "",
        "site_app/settings.py": SETTINGS,
        "site_app/urls.py": URLS,
        "jobs/urls.py": JOB_URLS,
        **files,
    }
    return judge_files(
        check, {k: textwrap.dedent(v) for k, v in sources.items()}, use_prefilter=False
    )


def where(findings: list[Finding]) -> list[tuple[str | None, int]]:
    return [(f.path, f.line) for f in findings]


VIEWS = """
from django.http import HttpResponse
{imports}

{decorator}
def run(request, pk):
    job = Job.objects.get(pk=pk)
    job.save()
    return HttpResponse("ok")
"""
JOB_VIEWS = """
from django.views import View
{imports}

class Sync({bases}):
    {attrs}
    def post(self, request, account_id):
        Account.objects.get(pk=account_id).save()
"""


def views(decorator: str = "", imports: str = "") -> str:
    return VIEWS.format(decorator=decorator, imports=imports)


def job_views(bases: str = "View", attrs: str = "pass", imports: str = "") -> str:
    return JOB_VIEWS.format(bases=bases, attrs=attrs, imports=imports)


def test_an_included_class_view_and_a_function_view_with_writes_are_flagged() -> None:
    findings = run({"site_app/views.py": views(), "jobs/views.py": job_views()})
    assert where(findings) == [("jobs/views.py", 7), ("site_app/views.py", 6)]
    sync, run_view = findings
    assert "POST /jobs/sync/<account_id>/" in sync.message
    assert "/run/<int:pk>/ (a view that serves every method" in run_view.message
    assert "calls job.save()" in run_view.message


def test_login_required_permission_required_and_user_passes_test_protect() -> None:
    for decorator in (
        "@login_required",
        '@permission_required("jobs.run")',
        "@user_passes_test(lambda u: u.is_staff)",
        "@staff_member_required",
    ):
        found = run({"site_app/views.py": views(decorator), "jobs/views.py": job_views()})
        assert where(found) == [("jobs/views.py", 7)], decorator


def test_csrf_exempt_and_require_post_are_not_auth() -> None:
    found = run(
        {"site_app/views.py": views("@csrf_exempt\n@require_POST"), "jobs/views.py": job_views()}
    )
    assert ("site_app/views.py", 7) in where(found)


def test_mixins_and_method_decorator_protect_a_class_view() -> None:
    for bases, attrs in (
        ("LoginRequiredMixin, View", "pass"),
        ("PermissionRequiredMixin, View", 'permission_required = "jobs.sync"'),
    ):
        found = run(
            {
                "site_app/views.py": views("@login_required"),
                "jobs/views.py": job_views(bases, attrs),
            }
        )
        assert found == [], bases
    decorated = JOB_VIEWS.replace(
        "class Sync", '@method_decorator(login_required, name="dispatch")\nclass Sync'
    )
    found = run(
        {
            "site_app/views.py": views("@login_required"),
            "jobs/views.py": decorated.format(bases="View", attrs="pass", imports=""),
        }
    )
    assert found == []


def test_drf_permission_classes_and_the_settings_default() -> None:
    api = job_views("APIView", "permission_classes = [{p}]")
    open_view = {"site_app/views.py": views("@login_required")}
    assert where(run({**open_view, "jobs/views.py": api.format(p="AllowAny")})) == [
        ("jobs/views.py", 7)
    ]
    assert run({**open_view, "jobs/views.py": api.format(p="IsAuthenticated")}) == []
    # no permission_classes on the view: DEFAULT_PERMISSION_CLASSES decides, for DRF views only
    bare = job_views("APIView")
    assert where(run({**open_view, "jobs/views.py": bare})) == [("jobs/views.py", 7)]
    strict = SETTINGS + 'REST_FRAMEWORK = {"DEFAULT_PERMISSION_CLASSES": ["x.IsAuthenticated"]}\n'
    assert run({**open_view, "jobs/views.py": bare, "site_app/settings.py": strict}) == []
    plain = job_views("View")
    found = run({**open_view, "jobs/views.py": plain, "site_app/settings.py": strict})
    assert where(found) == [("jobs/views.py", 7)]


def test_login_required_middleware_protects_unless_the_view_opts_out() -> None:
    settings = SETTINGS.replace(
        '"django.contrib.auth.middleware.AuthenticationMiddleware"',
        '"django.contrib.auth.middleware.LoginRequiredMiddleware"',
    )
    files = {"site_app/settings.py": settings, "jobs/views.py": job_views()}
    assert run({**files, "site_app/views.py": views()}) == []
    found = run({**files, "site_app/views.py": views("@login_not_required")})
    assert where(found) == [("site_app/views.py", 6)]


def test_a_view_that_serves_every_method_and_changes_nothing_is_quiet() -> None:
    read_only = """
    from django.http import HttpResponse
    def run(request, pk):
        return HttpResponse(Job.objects.get(pk=pk).state)
    """
    found = run({"site_app/views.py": read_only, "jobs/views.py": job_views("LoginRequiredMixin")})
    assert found == []


def test_a_viewset_through_a_router_gets_its_detail_and_action_routes() -> None:
    urls = """
    from django.urls import include, path
    from rest_framework.routers import DefaultRouter
    from site_app.api import ReportViewSet
    router = DefaultRouter()
    router.register(r"reports", ReportViewSet)
    urlpatterns = [path("api/", include(router.urls))]
    """
    api = """
    from rest_framework import viewsets
    from rest_framework.decorators import action
    class ReportViewSet(viewsets.ReadOnlyModelViewSet):
        @action(detail=True, methods=["post"], url_path="rebuild")
        def rebuild(self, request, pk=None):
            self.get_object().save()
    """
    found = run({"site_app/urls.py": urls, "site_app/api.py": api, "jobs/urls.py": ""})
    assert where(found) == [("site_app/api.py", 6)]
    assert "POST /api/reports/<pk>/rebuild/" in found[0].message


HOOK_BASE = """
from django.http import HttpResponse
from django.views import View

class ProviderHook(View):
    def check_signature(self, request, repo):
        raise NotImplementedError

    def post(self, request, account_id):
        repo = Account.objects.get(pk=account_id)
        if not self.check_signature(request, repo):
            return HttpResponse(status=400)
        repo.sync_from(request.body)
        repo.save()
        return HttpResponse(status=204)
"""
HOOK_VIEWS = """
from django.http import HttpRequest

from jobs.hooks import ProviderHook

class Sync(ProviderHook):
    def check_signature(self, request: HttpRequest, repo):
        sent = request.GET.get("key")
        return sent is not None and repo.hook_secret == sent
"""


def test_an_inherited_handler_runs_the_subclass_override_of_its_signature_check() -> None:
    """The base's `post` calls `self.check_signature(...)`: the view class's own definition
    is the one that runs, and it compares the record's webhook secret with the request."""
    files = {
        "site_app/views.py": views("@login_required"),
        "jobs/hooks.py": HOOK_BASE,
        "jobs/views.py": HOOK_VIEWS,
    }
    assert where(run(files)) == []
    accepts_all = HOOK_VIEWS.replace(
        "return sent is not None and repo.hook_secret == sent", "return True"
    )
    assert where(run({**files, "jobs/views.py": accepts_all})) == [("jobs/hooks.py", 9)]


LINK_MODELS = """
import hashlib

from django.conf import settings
from django.db import models

class Subscription(models.Model):
    def link_token(self):
        return hashlib.sha256((str(self.pk) + settings.SECRET_KEY).encode()).hexdigest()
"""
LINK_VIEW = """
from django.http import HttpResponse
from site_app.models import Subscription

def run(request, pk):
    subscription = Subscription.objects.get(pk=pk)
    if subscription.link_token() == request.GET.get("t"):
        subscription.confirmed = True
        subscription.save()
    return HttpResponse("ok")
"""


def test_a_link_token_compared_with_a_secret_derived_value_is_a_signed_link_check() -> None:
    """`obj.link_token() == token`, where every `link_token` method hashes the settings'
    secret key: the link is signed, whoever holds it was sent it."""
    files = {"site_app/models.py": LINK_MODELS, "site_app/views.py": LINK_VIEW}
    files["jobs/views.py"] = job_views("LoginRequiredMixin, View")
    assert where(run(files)) == []
    unsigned = LINK_MODELS.replace(" + settings.SECRET_KEY", "")
    assert where(run({**files, "site_app/models.py": unsigned})) == [("site_app/views.py", 5)]


PREVIEW_VIEW = """
from django.shortcuts import render
from django.views.decorators.http import require_POST
from site_app.forms import ScheduleForm

@require_POST
def run(request, pk):
    form = ScheduleForm(request.POST)
    if not form.is_valid():
        return render(request, "preview.html", {"form": form})
    upcoming = Schedule(form.cleaned_data["expression"]).next_runs(5)
    return render(request, "preview.html", {"runs": upcoming})
"""


def test_a_posted_form_previewed_into_a_page_is_not_state_changing() -> None:
    """POST alone does not make a view state-changing when it renders a page and calls
    nothing that could write; the same view saving or sending something is judged."""
    files = {
        "site_app/views.py": PREVIEW_VIEW,
        "jobs/views.py": job_views("LoginRequiredMixin, View"),
    }
    assert where(run(files)) == []
    for work in ("form.save()", "notify_owner(pk)", "Schedule.objects.filter(pk=pk).delete()"):
        writes = PREVIEW_VIEW.replace("    upcoming =", f"    {work}\n    upcoming =")
        assert where(run({**files, "site_app/views.py": writes})) == [("site_app/views.py", 7)]
    as_json = PREVIEW_VIEW.replace('render(request, "preview.html", ', "JsonResponse(")
    assert where(run({**files, "site_app/views.py": as_json})) == [("site_app/views.py", 7)]
