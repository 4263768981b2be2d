"""The address of the client that sent a request, as far as this deployment can trust it.

Behind a reverse proxy, REMOTE_ADDR is the proxy's address, the same for every client. Each
proxy appends the address it received the request from to X-Forwarded-For; anything to the
left of what our own proxies appended was written by the client and proves nothing. So with
`TRUSTED_PROXY_COUNT = N` proxies in front of the app (and the app reachable only through
them), the client is the N-th address from the right of X-Forwarded-For; with 0 (the default,
for a server that clients reach directly) it is REMOTE_ADDR and the header is ignored. A
request with fewer addresses than N did not come through every proxy: REMOTE_ADDR, as
Werkzeug's ProxyFix does.

The sign-in throttle and the API rate limit both count per address with this one function.
"""

import ipaddress

from django.conf import settings


def client_address(request):
    """Return the client's IP address for `request`, in its canonical text form."""
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies > 0:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= proxies and forwarded[-proxies]:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:  # not an address (a test client's, a misconfigured proxy's): as it is
        return address
