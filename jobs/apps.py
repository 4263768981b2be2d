from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "jobs"
    verbose_name = "Background jobs"

    def ready(self):
        # Every app's jobs.py is imported, so that its periodic jobs are known to the workers.
        from jobs import housekeeping  # noqa: F401

        autodiscover_modules("jobs")
