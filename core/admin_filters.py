from django.contrib import admin


class EndedFilter(admin.SimpleListFilter):
    """The "status" list filter of objects a date ends (an API key revoked, an outcome deleted).

    `statuses` is ((the value while `date_field` is empty, its label), (the value once it is
    set, its label)).
    """

    title = "status"
    parameter_name = "status"
    date_field = None
    statuses = ()

    def lookups(self, request, model_admin):
        return self.statuses

    def queryset(self, request, queryset):
        (current, _), (ended, _) = self.statuses
        if self.value() not in (current, ended):
            return queryset
        return queryset.filter(**{f"{self.date_field}__isnull": self.value() == current})
