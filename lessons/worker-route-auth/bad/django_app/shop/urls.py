from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt
from rest_framework.routers import DefaultRouter

from shop import api, hooks, views

router = DefaultRouter()
router.register(r"coupons", api.CouponViewSet, basename="coupon")

urlpatterns = [
    path("jobs/", include("jobs.urls")),
    path("api/", include(router.urls)),
    path("hooks/refund/", csrf_exempt(views.refund_hook)),
    path("orders/<int:pk>/reorder/", views.reorder),
    re_path(r"^exports/(?P<fmt>\w+)/$", views.ExportRun.as_view()),
    path("api/redeem/", api.redeem),
    path("catalog/", views.catalog),
    path("orders/archive-mine/", views.archive_my_orders),
    path("hooks/parcel/<int:pk>/", hooks.ParcelHook.as_view()),
]
