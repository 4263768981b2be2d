"""Fetching a URL that a user gave us, without letting it reach into our own network.

A recording link or a webhook endpoint is typed in by a user, so it may name an address that
only the server can reach: the loopback, the office LAN, a cloud's metadata service. Every
request made here:

- goes only to an allowed scheme (https unless the caller says otherwise);
- resolves the host once and refuses it if any of its addresses is not a public one
  (private, loopback, link-local, metadata, carrier-grade NAT, multicast, reserved...), then
  connects to the very address it checked, so a second DNS answer cannot swap it
  (DNS rebinding); TLS is still verified against the host's name;
- follows redirects itself (GET only, a few at most), checking each new URL the same way;
- stops at a size limit and at an overall deadline, not only a per-read timeout.

`fetch()` downloads (a recording); `send()` makes one request and returns whatever the server
answers, redirects included, never followed (a webhook delivery); `check_url()` applies the
rules to a URL without connecting (a webhook URL as it is saved).

`settings.SAFE_HTTP_ALLOWED_NETWORKS` lists networks an operator trusts anyway (an internal
recording server), in CIDR notation; it is empty by default. A caller may also name hosts it
trusts (`allowed_hosts`, e.g. WEBHOOK_ALLOWED_HOSTS): their addresses are not checked. This
module imports no app.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from django.conf import settings

CHUNK_SIZE = 64 * 1024
REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """The request failed; `transient` says whether trying again later may succeed."""

    transient = False


class UnsafeURL(FetchError):
    """The URL is refused by the rules above; no connection was made to it."""


class TransientFetchError(FetchError):
    """A timeout, a refused connection, a 5xx or a 429: worth trying again later."""

    transient = True


@dataclass
class Response:
    url: str
    status: int
    headers: dict = field(default_factory=dict)
    body: bytes = b""
    size: int = 0


def _allowed_networks():
    return [
        ipaddress.ip_network(net) for net in getattr(settings, "SAFE_HTTP_ALLOWED_NETWORKS", [])
    ]


def is_public_address(address, allowed=()):
    """Return whether `address` (a string) is a public unicast address or in `allowed`."""
    ip = ipaddress.ip_address(address.split("%")[0])
    if any(ip in network for network in allowed):
        return True
    if ip.version == 6 and ip.ipv4_mapped is not None:
        return is_public_address(str(ip.ipv4_mapped), allowed)
    return ip.is_global and not ip.is_multicast


def resolve_public(host, port, allowed_hosts=()):
    """Return one address of `host` to connect to, once every address it has is checked.

    Raises UnsafeURL if any address is not public: a name that resolves to both a public and a
    private address is refused, rather than hoping the connection picks the public one. A host
    among `allowed_hosts` is trusted whatever its addresses.
    """
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise TransientFetchError(f"The host {host} could not be resolved.") from error
    addresses = [info[4][0] for info in infos]
    if addresses and host.lower() in allowed_hosts:
        return addresses[0]
    allowed = _allowed_networks()
    refused = [address for address in addresses if not is_public_address(address, allowed)]
    if refused or not addresses:
        raise UnsafeURL(f"The host {host} has a private or reserved address ({refused[0]}).")
    return addresses[0]


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """An HTTPS connection to an address already checked, verified against the host's name."""

    def __init__(self, host, port, *, address, timeout, context):
        super().__init__(host, port, timeout=timeout, context=context)
        self.address, self.tls = address, context

    def connect(self):
        sock = socket.create_connection((self.address, self.port), self.timeout)
        # http.client forgets `sock` once a response says the connection will close: the
        # body's reads still go through it, and their timeouts are set on `opened`.
        self.sock = self.opened = self.tls.wrap_socket(sock, server_hostname=self.host)


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self.address = address

    def connect(self):
        self.sock = self.opened = socket.create_connection((self.address, self.port), self.timeout)


def _check_url(url, schemes):
    parts = urlsplit(url)
    if parts.scheme not in schemes:
        raise UnsafeURL(f"Only {' and '.join(schemes)} URLs are fetched.")
    if not parts.hostname:
        raise UnsafeURL("The URL has no host.")
    if parts.username or parts.password:
        raise UnsafeURL("URLs with credentials in them are not fetched.")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise UnsafeURL("The URL has an invalid port.") from error
    return parts, port


def check_url(url, *, schemes=("https",), allowed_hosts=()):
    """Raise UnsafeURL unless a request to `url` would be made under the rules above.

    The host is resolved (TransientFetchError when it cannot be), but nothing is connected to.
    A host among `allowed_hosts` is not resolved at all.
    """
    parts, port = _check_url(url, schemes)
    if parts.hostname.lower() not in allowed_hosts:
        resolve_public(parts.hostname, port)


def _tls_context(verify):
    context = ssl.create_default_context()
    if not verify:
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    return context


def _connect(parts, port, timeout, *, allowed_hosts=(), verify_tls=True):
    address = resolve_public(parts.hostname, port, allowed_hosts)
    if parts.scheme == "https":
        return _PinnedHTTPSConnection(
            parts.hostname,
            port,
            address=address,
            timeout=timeout,
            context=_tls_context(verify_tls),
        )
    return _PinnedHTTPConnection(parts.hostname, port, address=address, timeout=timeout)


def _target(parts):
    target = parts.path or "/"
    return f"{target}?{parts.query}" if parts.query else target


def _read_body(connection, response, *, into, max_bytes, deadline, truncate=False):
    """Read the body in chunks as they arrive, each read bounded by what is left of the
    deadline: a server that trickles a byte a second cannot hold the worker. Past `max_bytes`,
    stop with what was read when `truncate`, else fail."""
    size = 0
    body = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TransientFetchError("The download took too long.")
        connection.opened.settimeout(remaining)
        chunk = response.read1(CHUNK_SIZE)
        if not chunk:
            break
        if truncate and size + len(chunk) > max_bytes:
            chunk = chunk[: max_bytes - size]
            body.append(chunk)
            size += len(chunk)
            break
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"The response is larger than {max_bytes} bytes.")
        if into is None:
            body.append(chunk)
        else:
            into.write(chunk)
    return b"".join(body), size


def fetch(
    url,
    *,
    method="GET",
    body=None,
    headers=None,
    into=None,
    max_bytes,
    timeout,
    max_redirects=3,
    schemes=("https",),
):
    """Send one request to `url` under the rules above and return its Response.

    The body is written to the binary file `into` when given (a download), else returned in
    `Response.body`. `timeout` is the whole request's deadline in seconds. Responses other
    than 2xx raise FetchError (TransientFetchError for 5xx and 429), except 3xx when
    `max_redirects` is 0 or the method is not GET, which are returned as they are.
    """
    deadline = time.monotonic() + timeout
    for _ in range(max_redirects + 1):
        parts, port = _check_url(url, schemes)
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TransientFetchError("The download took too long.")
        connection = _connect(parts, port, remaining)
        try:
            connection.request(method, _target(parts), body=body, headers=headers or {})
            response = connection.getresponse()
            status = response.status
            if status in REDIRECTS and method == "GET" and max_redirects:
                location = response.getheader("Location")
                if not location:
                    raise FetchError(f"The server answered {status} without a Location.")
                url = urljoin(url, location)
                continue
            if status == 429 or status >= 500:
                raise TransientFetchError(f"The server answered {status}.")
            if status >= 400:
                raise FetchError(f"The server answered {status}.")
            length = response.getheader("Content-Length")
            if length and length.isdigit() and int(length) > max_bytes:
                raise FetchError(f"The response is larger than {max_bytes} bytes.")
            content, size = _read_body(
                connection, response, into=into, max_bytes=max_bytes, deadline=deadline
            )
            return Response(url, status, dict(response.getheaders()), content, size)
        except NETWORK_ERRORS as error:
            raise _fetch_error(error) from error
        finally:
            connection.close()
    raise FetchError(f"More than {max_redirects} redirects.")


def send(
    url,
    *,
    method="POST",
    body=b"",
    headers=None,
    max_bytes,
    timeout,
    schemes=("https",),
    allowed_hosts=(),
    verify_tls=True,
):
    """Send one request to `url` under the rules above and return its Response, whatever its
    status: redirects are answers, never followed. The body is read up to `max_bytes`, the rest
    left unread. `timeout` bounds the whole exchange; `verify_tls=False` accepts any
    certificate (the address rules still hold)."""
    deadline = time.monotonic() + timeout
    parts, port = _check_url(url, schemes)
    connection = _connect(parts, port, timeout, allowed_hosts=allowed_hosts, verify_tls=verify_tls)
    try:
        connection.request(method, _target(parts), body=body, headers=headers or {})
        connection.opened.settimeout(max(deadline - time.monotonic(), 0.001))
        response = connection.getresponse()
        content, size = _read_body(
            connection, response, into=None, max_bytes=max_bytes, deadline=deadline, truncate=True
        )
        return Response(url, response.status, dict(response.getheaders()), content, size)
    except NETWORK_ERRORS as error:
        raise _fetch_error(error) from error
    finally:
        connection.close()


NETWORK_ERRORS = (TimeoutError, ssl.SSLError, ConnectionError, http.client.HTTPException, OSError)


def _fetch_error(error):
    """The FetchError that says what went wrong on the network."""
    if isinstance(error, TimeoutError):
        return TransientFetchError("The server did not answer in time.")
    if isinstance(error, ssl.SSLError):
        return FetchError(f"The TLS connection failed: {error.reason or error}.")
    return TransientFetchError(f"The connection failed: {error}.")
