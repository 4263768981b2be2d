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


class CacheEntry(models.Model):
    """A row of the security counters' database cache (core.database_cache), used when there is
    no Redis. The table has the layout of Django's `createcachetable`; it is a model only so that
    `migrate` creates it, everywhere the app runs. Nothing reads it through the ORM."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "core_cache"
        verbose_name_plural = "cache entries"

    def __str__(self):
        return self.cache_key
