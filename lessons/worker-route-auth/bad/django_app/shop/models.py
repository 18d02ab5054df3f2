from django.db import models


class Order(models.Model):
    sku = models.CharField(max_length=32)
    owner_id = models.IntegerField(null=True)
    exported = models.BooleanField(default=False)


class Refund(models.Model):
    order_id = models.IntegerField()
    amount = models.IntegerField()
