"""URLs of things kept elsewhere (a recording at a dialer's storage): https, on a public host.

A URL we store is later opened by our users' browsers (and may one day be fetched by us), so it
must not carry credentials, nor point at an address instead of a name, nor at this machine or
a private network's names. Hosts are read the way browsers read them (WHATWG URL): percent-
decoded, width-folded and lowercased, and a host whose last label is a number (`2130706433`,
`0x7f.0.0.1`, `0177.1`) is an IPv4 address.

This is a check on what is written. Code that fetches a URL must still refuse private
addresses when it connects: a public name can resolve to one.
"""

import re
import unicodedata
from urllib.parse import unquote, urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

# Names that reach this machine or a private network, never a public host (RFC 6761, 6762,
# 8375, ICANN's .internal); matched as the whole host or its last labels.
PRIVATE_NAMES = ("localhost", "localdomain", "local", "internal", "home.arpa")
LOOPBACK_HOSTS = {"ip6-localhost", "ip6-loopback"}
IPV4_NUMBER = re.compile(r"^(?:[0-9]+|0[xX][0-9a-fA-F]*)$")
valid_https_url = URLValidator(schemes=["https"])


def _host(hostname):
    """`hostname` as a browser reads it: percent-decoded, width-folded, lowercase, no final dot."""
    host = unicodedata.normalize("NFKC", unquote(hostname)).replace("\u3002", ".")
    return host.casefold().rstrip(".")


def _is_ip_literal(host):
    """True when a browser would read `host` as an IP address (WHATWG's "ends in a number")."""
    return ":" in host or bool(IPV4_NUMBER.match(host.rsplit(".", 1)[-1]))


def _is_private_name(host):
    return host in LOOPBACK_HOSTS or any(
        host == name or host.endswith("." + name) for name in PRIVATE_NAMES
    )


def validate_external_url(value):
    """Refuse `value` unless it is an https URL of a public host name, without credentials."""
    try:
        parts = urlsplit(value)
        hostname = parts.hostname or ""
    except ValueError:
        raise ValidationError("Enter a valid URL.", code="invalid") from None
    if parts.scheme.lower() != "https":
        raise ValidationError("Enter an https:// URL.", code="invalid_scheme")
    if "@" in parts.netloc:
        raise ValidationError(
            "Leave the user name and password out of the URL.", code="credentials"
        )
    host = _host(hostname)
    if not host:
        raise ValidationError("Enter a valid URL.", code="invalid")
    if _is_ip_literal(host):
        raise ValidationError("Use the host's name, not an IP address.", code="ip_address")
    if _is_private_name(host):
        raise ValidationError(
            "This URL points at this machine or a private network; use a public host.",
            code="private_host",
        )
    valid_https_url(value)


class ExternalURLFormField(forms.URLField):
    default_validators = [validate_external_url]


class ExternalURLField(models.URLField):
    """A URL of something kept elsewhere, checked by `validate_external_url` alone, so that a
    refusal says exactly why (Django's own URL check would add "Enter a valid URL.")."""

    default_validators = [validate_external_url]

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ExternalURLFormField, **kwargs})
