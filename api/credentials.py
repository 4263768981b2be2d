"""The one reader of HTTP Basic credentials in an Authorization header.

Close's clients send the API key as the Basic username, with an empty password. The rate limit
and the authentication (DRF's, and the audio view's) each read the header through
`basic_credentials`, so that a header one of them takes for a key, the other takes for the same
key: a request cannot be served under a key without being counted under it.

The header is read as DRF reads one: the scheme and the credentials separated by any run of
ASCII whitespace (spaces, tabs), the scheme in any case, and nothing after the credentials. The
credentials are standard, padded base64 of UTF-8 `username:password`; the password may be
missing (`username` alone).
"""

import base64
import binascii
from typing import NamedTuple


class MalformedCredentials(ValueError):
    """A Basic Authorization header whose credentials cannot be read."""


class BasicCredentials(NamedTuple):
    username: str
    password: str


def basic_credentials(header):
    """Return the credentials of a Basic Authorization header (str or bytes).

    Return None when the header is empty or uses another scheme; raise MalformedCredentials
    when it says Basic but the credentials cannot be read.
    """
    if isinstance(header, str):
        # WSGI servers decode header bytes as Latin-1: encoding them back is lossless.
        header = header.encode("latin-1", errors="replace")
    parts = header.split()  # bytes.split: ASCII whitespace only, as DRF splits
    if not parts or parts[0].lower() != b"basic":
        return None
    if len(parts) != 2:
        raise MalformedCredentials("Expected one word of credentials after Basic.")
    try:
        decoded = base64.b64decode(parts[1], validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        raise MalformedCredentials("The credentials are not base64 of UTF-8 text.") from None
    username, _, password = decoded.partition(":")
    return BasicCredentials(username, password)
