import hashlib

from django.conf import settings
from django.db import models


class Profile(models.Model):
    bio = models.TextField()


class Ticket(models.Model):
    subject = models.CharField(max_length=200)
    owner = models.ForeignKey("auth.User", null=True, on_delete=models.SET_NULL)
    closed = models.BooleanField(default=False)
    stale = models.BooleanField(default=False)
    exported = models.BooleanField(default=False)


class Watcher(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE)
    address = models.EmailField()
    confirmed = models.BooleanField(default=False)

    def confirm_token(self) -> str:
        # The link sent to the address carries this digest; only the server can compute it.
        seed = f"{self.pk}:{self.address}:{settings.SECRET_KEY}"
        return hashlib.sha256(seed.encode()).hexdigest()
