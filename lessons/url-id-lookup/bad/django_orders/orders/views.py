from django.http import JsonResponse
from django.views import View

from orders.models import Order


def order_detail(request, pk):  # lessons: expect[url-id-lookup]
    # the link names an order; the page shows whichever order the user placed last
    order = Order.objects.filter(owner_id=request.user.id).latest("created")
    return JsonResponse({"id": order.id})


class ReceiptView(View):
    def get(self, request, order_id):  # lessons: expect[url-id-lookup]
        order = Order.objects.filter(owner_id=request.user.id).order_by("-created").first()
        return JsonResponse({"id": order.id})
