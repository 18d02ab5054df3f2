from django.urls import path, re_path

from orders import views

urlpatterns = [
    path("orders/<int:pk>/", views.order_detail),
    re_path(r"^orders/(?P<order_id>[0-9]+)/receipt/$", views.ReceiptView.as_view()),
]
