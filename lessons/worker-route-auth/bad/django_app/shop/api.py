from rest_framework import viewsets
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny
from rest_framework.response import Response

from shop.models import Order


# No permission_classes here, and the settings' default is AllowAny: anyone can create,
# change and delete coupons through the router's routes.
class CouponViewSet(viewsets.ModelViewSet):  # lessons: expect[worker-route-auth]
    queryset = Order.objects.all()


@api_view(["POST"])
@permission_classes([AllowAny])
def redeem(request):  # lessons: expect[worker-route-auth]
    Order.objects.filter(sku=request.data["code"]).delete()
    return Response({"ok": True})
