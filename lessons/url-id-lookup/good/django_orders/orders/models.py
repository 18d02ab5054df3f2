from django.db import models


class Order(models.Model):
    owner_id = models.IntegerField()
    created = models.DateTimeField(auto_now_add=True)
