from django.db import models


class Profile(models.Model):
    bio = models.TextField()


class Ticket(models.Model):
    subject = models.CharField(max_length=200)
    closed = models.BooleanField(default=False)
    stale = models.BooleanField(default=False)
    exported = models.BooleanField(default=False)
