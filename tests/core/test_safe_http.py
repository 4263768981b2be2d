"""Fetching a URL a user gave: only public https addresses, within a size and a deadline.

The refused addresses are refused before any connection is made: no test sends anything to
them. The allowed fetches go to a real HTTPS server on 127.0.0.1, which the tests allow by
SAFE_HTTP_ALLOWED_NETWORKS as an operator would allow an internal recording server.
"""

import io
import socket
import time

import pytest

from core.safe_http import FetchError, TransientFetchError, UnsafeURL, fetch
from tests.core.https_server import Answer

LIMITS = {"max_bytes": 1000, "timeout": 5}


def test_a_public_https_file_is_downloaded_into_the_given_file(https_server):
    https_server.routes["/call.mp3"] = Answer(body=b"ID3 audio bytes")
    download = io.BytesIO()

    response = fetch(https_server.url("/call.mp3"), into=download, **LIMITS)

    assert (response.status, response.size, download.getvalue()) == (200, 15, b"ID3 audio bytes")


@pytest.mark.parametrize(
    "host",
    [
        "127.0.0.1",  # loopback
        "localhost",
        "[::1]",
        "10.1.2.3",  # private
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",  # link-local: the cloud metadata service
        "[fd00:ec2::254]",  # the IPv6 one (unique local)
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "[::ffff:127.0.0.1]",  # loopback in IPv6 clothes
        "224.0.0.1",  # multicast
    ],
)
def test_a_private_or_reserved_address_is_refused(host, settings):
    settings.SAFE_HTTP_ALLOWED_NETWORKS = []

    with pytest.raises(UnsafeURL, match="private or reserved address"):
        fetch(f"https://{host}/recording.mp3", **LIMITS)


def test_loopback_is_refused_unless_the_operator_allows_it(https_server, settings):
    https_server.routes["/call.mp3"] = Answer(body=b"audio")
    settings.SAFE_HTTP_ALLOWED_NETWORKS = []

    with pytest.raises(UnsafeURL):
        fetch(https_server.url("/call.mp3"), **LIMITS)
    assert https_server.requests == []


def test_a_name_with_any_private_address_among_its_addresses_is_refused(monkeypatch):
    def resolve(host, port, *args, **kwargs):  # the DNS answer of a rebinding attack
        return [
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("93.184.215.14", port)),
            (socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.7", port)),
        ]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)

    with pytest.raises(UnsafeURL, match=r"10\.0\.0\.7"):
        fetch("https://recordings.example.com/call.mp3", **LIMITS)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://recordings.example.com/call.mp3", "Only https URLs"),
        ("ftp://recordings.example.com/call.mp3", "Only https URLs"),
        ("https://user:secret@recordings.example.com/call.mp3", "credentials"),
        ("https:///call.mp3", "no host"),
    ],
)
def test_other_schemes_and_credentials_are_refused(url, message):
    with pytest.raises(UnsafeURL, match=message):
        fetch(url, **LIMITS)


def test_a_redirect_is_followed_and_checked(https_server):
    https_server.routes["/old"] = Answer(302, headers={"Location": "/new"})
    https_server.routes["/new"] = Answer(body=b"audio")

    response = fetch(https_server.url("/old"), **LIMITS)

    assert (response.body, response.url) == (b"audio", https_server.url("/new"))


@pytest.mark.parametrize(
    "location", ["https://169.254.169.254/latest/meta-data/", "https://10.0.0.1/call.mp3"]
)
def test_a_redirect_to_a_private_address_is_refused(https_server, location):
    https_server.routes["/call.mp3"] = Answer(302, headers={"Location": location})

    with pytest.raises(UnsafeURL):
        fetch(https_server.url("/call.mp3"), **LIMITS)


def test_a_redirect_to_plain_http_is_refused(https_server):
    https_server.routes["/call.mp3"] = Answer(301, headers={"Location": "http://127.0.0.1/x"})

    with pytest.raises(UnsafeURL, match="Only https"):
        fetch(https_server.url("/call.mp3"), **LIMITS)


def test_endless_redirects_stop(https_server):
    https_server.routes["/loop"] = Answer(302, headers={"Location": "/loop"})

    with pytest.raises(FetchError, match="More than 3 redirects"):
        fetch(https_server.url("/loop"), **LIMITS)
    assert len(https_server.requests) == 4


def test_a_body_announced_too_large_is_refused_before_it_is_read(https_server):
    https_server.routes["/big"] = Answer(body=b"x" * 5000)

    with pytest.raises(FetchError, match="larger than 1000 bytes") as failure:
        fetch(https_server.url("/big"), **LIMITS)
    assert not failure.value.transient


def test_a_body_that_grows_past_the_limit_is_cut_off(https_server):
    https_server.routes["/big"] = Answer(body=b"x" * 5000, no_length=True, piece=500)
    download = io.BytesIO()

    with pytest.raises(FetchError, match="larger than 1000 bytes"):
        fetch(https_server.url("/big"), into=download, **LIMITS)
    assert len(download.getvalue()) <= 1000


def test_a_server_that_trickles_is_given_up_at_the_deadline(https_server):
    https_server.routes["/slow"] = Answer(body=b"x" * 100, piece=1, pause=0.2)
    started = time.monotonic()

    with pytest.raises(TransientFetchError, match="took too long|did not answer in time"):
        fetch(https_server.url("/slow"), max_bytes=1000, timeout=1)
    assert time.monotonic() - started < 3


@pytest.mark.parametrize(("status", "transient"), [(503, True), (429, True), (404, False)])
def test_error_statuses_say_whether_trying_again_may_help(https_server, status, transient):
    https_server.routes["/call.mp3"] = Answer(status, b"no")

    with pytest.raises(FetchError, match=f"answered {status}") as failure:
        fetch(https_server.url("/call.mp3"), **LIMITS)
    assert failure.value.transient is transient


def test_a_certificate_nobody_vouches_for_is_refused(https_server, monkeypatch, tmp_path):
    https_server.routes["/call.mp3"] = Answer(body=b"audio")
    empty = tmp_path / "no-authorities.pem"
    empty.write_text("")
    monkeypatch.setenv("SSL_CERT_FILE", str(empty))

    with pytest.raises(FetchError, match="TLS") as failure:
        fetch(https_server.url("/call.mp3"), **LIMITS)
    assert not failure.value.transient
