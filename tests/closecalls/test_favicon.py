from urllib.request import urlopen

import pytest

pytestmark = pytest.mark.django_db


def test_favicon_ico_is_the_static_icon(client, live_server):
    response = client.get("/favicon.ico")
    assert (response.status_code, response["Location"]) == (302, "/static/favicon.ico")

    with urlopen(live_server.url + "/favicon.ico") as icon:
        assert icon.url.endswith("/static/favicon.ico")
        assert icon.read(4) == b"\x00\x00\x01\x00"  # an ICO file's header


def test_every_page_links_its_icons(client):
    response = client.get("/accounts/login/")

    assert b'<link rel="icon" href="/static/favicon.ico" sizes="16x16 32x32 48x48">' in (
        response.content
    )
    assert b'<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in response.content
