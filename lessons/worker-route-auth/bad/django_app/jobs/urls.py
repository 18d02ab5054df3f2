from django.urls import path

from jobs import views

urlpatterns = [
    path("nightly-digest/", views.nightly_digest),
    path("cron/expire/", views.expire_carts),
]
