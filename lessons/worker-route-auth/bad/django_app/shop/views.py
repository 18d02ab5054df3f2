from django.http import JsonResponse
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shop.models import Order, Refund


# csrf_exempt opens the door for other sites' forms; it checks nobody.
@csrf_exempt
def refund_hook(request):  # lessons: expect[worker-route-auth]
    Refund.objects.create(order_id=request.POST["order"], amount=request.POST["amount"])
    return JsonResponse({"ok": True})


@require_POST
def reorder(request, pk):  # lessons: expect[worker-route-auth]
    order = Order.objects.get(pk=pk)
    order.pk = None
    order.save()
    return JsonResponse({"id": order.pk})


class ExportRun(View):
    def post(self, request, fmt):  # lessons: expect[worker-route-auth]
        Order.objects.filter(exported=False).update(exported=True)
        return JsonResponse({"format": fmt})


def catalog(request):
    # serves every method but changes nothing: not a state-changing route
    return JsonResponse({"items": list(Order.objects.values("sku"))})


@require_POST
def archive_my_orders(request):  # lessons: expect[worker-route-auth]
    # an anonymous user's id is None: this archives every order that has no owner
    Order.objects.filter(owner_id=request.user.id).update(exported=True)
    return JsonResponse({"ok": True})
