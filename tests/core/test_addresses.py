"""The client's address: REMOTE_ADDR, or behind N trusted proxies what the outermost one saw."""

import pytest
from django.test import RequestFactory

from core.addresses import client_address

PROXY = "10.0.0.2"


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "client"),
    [
        (0, "203.0.113.7", None, "203.0.113.7"),  # no proxy
        (0, "203.0.113.7", "198.51.100.9", "203.0.113.7"),  # no proxy: the header is ignored
        (1, PROXY, "198.51.100.9", "198.51.100.9"),
        (1, PROXY, "1.2.3.4, 198.51.100.9", "198.51.100.9"),  # the client's own entry ignored
        (1, PROXY, "1.2.3.4,198.51.100.9", "198.51.100.9"),
        (2, PROXY, "1.2.3.4, 198.51.100.9, 10.0.0.1", "198.51.100.9"),
        (2, PROXY, "198.51.100.9", PROXY),  # fewer entries than proxies: not through them all
        (1, PROXY, None, PROXY),
        (1, PROXY, "1.2.3.4, ", PROXY),  # an empty entry
        (1, PROXY, "2001:DB8:0:0::7", "2001:db8::7"),  # IPv6 in its canonical form
        (0, "2001:0db8::0007", None, "2001:db8::7"),
        (1, PROXY, "unknown", "unknown"),  # not an address: as it is
    ],
)
def test_the_client_address_is_taken_as_configured(settings, proxies, remote, forwarded, client):
    settings.TRUSTED_PROXY_COUNT = proxies
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}

    request = RequestFactory().get("/", REMOTE_ADDR=remote, **headers)

    assert client_address(request) == client
