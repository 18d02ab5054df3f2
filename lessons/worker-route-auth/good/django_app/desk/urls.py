from django.contrib.auth.decorators import login_required
from django.urls import include, path
from rest_framework.routers import DefaultRouter

from desk import api, hooks, links, views

router = DefaultRouter()
router.register(r"tickets", api.TicketViewSet)
router.register(r"macros", api.MacroViewSet)

ops_patterns = [
    path("reindex/", login_required(views.reindex)),
]

urlpatterns = [
    path("api/", include(router.urls)),
    path("ops/", include(ops_patterns)),
    path("profile/", views.update_profile),
    path("tickets/<int:pk>/close/", views.close_ticket),
    path("exports/", views.ExportRun.as_view()),
    path("settings/", views.SettingsView.as_view()),
    path("hooks/mailer/", views.mailer_hook),
    path("cron/purge/", views.purge),
    path("help/", views.help_page),
    path("api/stats/", api.stats),
    path("accounts/logout/", views.logout_view),
    path("reports/stop/<str:token>/", views.stop_reports),
    path("docs/cron/", views.cron_docs),
    path("hooks/forge/<int:pk>/", hooks.ForgeCloseHook.as_view()),
    path("watchers/<int:pk>/confirm/<str:token>/", links.confirm_watcher),
    path("tickets/due-preview/", links.due_date_preview),
    path("tickets/archive-mine/", views.archive_my_tickets),
]
