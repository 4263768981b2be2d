"""The admin writes through the services, as the API and the pages do.

`ModelAdmin.save_model()` and `save_formset()` would save the forms' instances themselves;
these hand the forms' cleaned values to an app's service functions instead, so that the admin
keeps the same rules and announces the same changes.
"""


class WritesThroughServices:
    """Mix into a ModelAdmin: save and delete its objects with the app's service functions.

    `services` is the app's services module and `entity` the name its functions start with:
    `<entity>_create(organization=, created_by=, fields=)`, `<entity>_update(obj, updated_by=,
    fields=)` and `<entity>_delete(obj, deleted_by=)`, the house's naming.
    """

    services = None
    entity = None

    def service(self, action):
        return getattr(self.services, f"{self.entity}_{action}")

    def save_model(self, request, obj, form, change):
        """Create with every field of the form, or update the stored object with the fields the
        form changed (it has already set them on `obj`); `obj` is then reloaded with what the
        service stored, and its inlines are saved with it as their parent."""
        names = set(form.changed_data if change else form.cleaned_data) - {"organization"}
        fields = {name: form.cleaned_data[name] for name in names}
        if change:
            stored = type(obj)._default_manager.get(pk=obj.pk)
            self.service("update")(stored, updated_by=request.user, fields=fields)
        else:
            organization = form.cleaned_data["organization"]
            created = self.service("create")(
                organization=organization, created_by=request.user, fields=fields
            )
            obj.pk = created.pk
        obj.refresh_from_db()

    def delete_model(self, request, obj):
        self.service("delete")(obj, deleted_by=request.user)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.delete_model(request, obj)


def save_inline_through(formset, *, save, delete):
    """Save an inline `formset` by `save(stored, form)` for each changed or new form (`stored`
    None for a new one) and `delete(stored)` for each object ticked for deletion."""
    formset.save(commit=False)  # sorts the forms, as the admin's change message reads them
    for obj in formset.deleted_objects:
        delete(obj)
    for form in formset.saved_forms:
        manager = type(form.instance)._default_manager
        stored = manager.get(pk=form.instance.pk) if form in formset.initial_forms else None
        save(stored, form)
