"""The admin writes through the services, as the API and the pages do.

`ModelAdmin.save_model()` and `save_formset()` would save the forms' instances themselves;
these hand the forms' cleaned values to an app's service functions instead, so that the admin
keeps the same rules and announces the same changes.
"""


def save_model_through(obj, form, change, *, create, update):
    """Save the admin's `obj` by `update(stored, fields)` with the fields its form changed, or
    `create(organization, fields)` with all of them; `obj` is then reloaded with what the
    service stored, and its inlines are saved with it as their parent."""
    names = set(form.changed_data if change else form.cleaned_data) - {"organization"}
    fields = {name: form.cleaned_data[name] for name in names}
    if change:
        update(type(obj)._default_manager.get(pk=obj.pk), fields)
    else:
        obj.pk = create(form.cleaned_data["organization"], fields).pk
    obj.refresh_from_db()


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
