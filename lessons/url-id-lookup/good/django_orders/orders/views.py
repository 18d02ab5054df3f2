from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.views import View

from orders.models import Order


@login_required
def order_detail(request, pk):
    order = get_object_or_404(Order, pk=pk, owner_id=request.user.id)
    return JsonResponse({"id": order.id})


class ReceiptView(View):
    def get(self, request, order_id):
        order = get_object_or_404(Order, pk=order_id)
        return JsonResponse({"id": order.id})
