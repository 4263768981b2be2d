"""The steps a service takes to write one object: validate it with the model's own rules, save
it, announce the change (core/changes.py). Services call these inside their transaction."""

from core.changes import announce_created, announce_updated, field_values


def full_clean_loaded(instance):
    """`instance.full_clean()`, without looking up again the relations given as objects.

    Those were read by the caller (within its organization), so they exist; the model's
    `clean()` still checks that each belongs where it must. The primary key is generated: its
    uniqueness is not looked up.
    """
    loaded = [
        field.name
        for field in instance._meta.concrete_fields
        if field.is_relation and field.is_cached(instance) and getattr(instance, field.name)
    ]
    instance.full_clean(exclude=loaded, validate_unique=False)


def create_announced(instance, *, actor):
    """Validate and insert `instance`; announce it as created by `actor`."""
    instance.full_clean(validate_unique=False)  # ids are generated: none to look up
    instance.save(force_insert=True)
    announce_created(instance, actor=actor)
    return instance


def update_announced(instance, fields, *, actor):
    """Set `fields` on `instance`, validate and save it; announce what changed, if anything."""
    before = field_values(instance)
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean(validate_unique=False)
    instance.save()
    announce_updated(instance, before, actor=actor)
    return instance
