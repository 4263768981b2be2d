from django.db import models


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
