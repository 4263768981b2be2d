from django.conf import settings
from django.db import models
from django.utils import timezone


class Authored(models.Model):
    """Who created an object and who last changed it, and when, as Close's objects say:
    `created_by`, `updated_by`, `date_created` and `date_updated` (set on every save)."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    date_created = models.DateTimeField(default=timezone.now)
    date_updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
