"""Public ids: a type prefix and 43 random base62 characters, as Close's ids look."""

import secrets
import string
from functools import partial

from django.db import models

ALPHABET = string.ascii_letters + string.digits
# Random bytes below this map onto the alphabet evenly (248 = 4 × 62): the rest are dropped.
EVEN = 256 - 256 % len(ALPHABET)


def new_id(prefix):
    """`prefix`, "_" and 43 characters drawn uniformly from ALPHABET: from one read of random
    bytes rather than one for each character (an import creates thousands of ids a second)."""
    characters = []
    while len(characters) < 43:
        characters += [
            ALPHABET[byte % len(ALPHABET)] for byte in secrets.token_bytes(64) if byte < EVEN
        ]
    return prefix + "_" + "".join(characters[:43])


class PublicIdField(models.CharField):
    """A primary key such as `acti_3kT...`, generated on creation; never a database integer."""

    def __init__(self, *args, prefix, **kwargs):
        self.prefix = prefix
        kwargs.update(
            max_length=64, primary_key=True, editable=False, default=partial(new_id, prefix)
        )
        super().__init__(*args, **kwargs)

    def db_type(self, connection):
        """`varchar(64)` under another name on PostgreSQL, which then skips the extra
        `varchar_pattern_ops` ("_like") index it adds for every varchar key and foreign key:
        ids are compared whole, never searched with LIKE. Foreign keys follow via rel_db_type."""
        if connection.vendor == "postgresql":
            return f"character varying({self.max_length})"
        return super().db_type(connection)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("max_length", "primary_key", "editable", "default"):
            kwargs.pop(key, None)
        kwargs["prefix"] = self.prefix
        return name, path, args, kwargs
