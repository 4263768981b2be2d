"""The one Authorization parser: every header form, read the same way by everyone who reads it."""

import base64

import pytest

from api.credentials import BasicCredentials, MalformedCredentials, basic_credentials

MALFORMED = MalformedCredentials


def b64(text):
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        pytest.param(f"Basic {b64('key:')}", ("key", ""), id="one space"),
        pytest.param(f"Basic\t{b64('key:')}", ("key", ""), id="tab"),
        pytest.param(f"Basic    {b64('key:')}", ("key", ""), id="several spaces"),
        pytest.param(f"Basic \t {b64('key:')} ", ("key", ""), id="mixed and trailing blanks"),
        pytest.param(f"basic {b64('key:')}", ("key", ""), id="lowercase scheme"),
        pytest.param(f"BASIC {b64('key:')}", ("key", ""), id="uppercase scheme"),
        pytest.param(f"Basic {b64('key:secret')}", ("key", "secret"), id="with a password"),
        pytest.param(f"Basic {b64('key')}", ("key", ""), id="no colon"),
        pytest.param(f"Basic {b64('key:a:b')}", ("key", "a:b"), id="colon in the password"),
        pytest.param(f"Basic {b64(':secret')}", ("", "secret"), id="empty username"),
        pytest.param(f"Basic {b64('clé:')}", ("clé", ""), id="UTF-8 username"),
        pytest.param("", None, id="no header"),
        pytest.param("   ", None, id="blank header"),
        pytest.param(f"Bearer {b64('key:')}", None, id="another scheme"),
        pytest.param(f"Basic\x85{b64('key:')}", None, id="Latin-1 NEL is not whitespace"),
        pytest.param(f"Basically {b64('key:')}", None, id="scheme is a whole word"),
        pytest.param("Basic", MALFORMED, id="no credentials"),
        pytest.param(f"Basic {b64('key:')} extra", MALFORMED, id="two words"),
        pytest.param(f"Basic {b64('key:').rstrip('=')}", MALFORMED, id="padding missing"),
        pytest.param(f"Basic {b64('key:')}=", MALFORMED, id="padding in excess"),
        pytest.param("Basic !!!not-base64!!!", MALFORMED, id="not base64"),
        pytest.param("Basic a2V5Og\u00e9=", MALFORMED, id="non-ASCII in the base64"),
        pytest.param("Basic " + base64.b64encode(b"\xff\xfe:").decode(), MALFORMED, id="not UTF-8"),
    ],
)
def test_each_header_form_reads_as_expected(header, expected):
    if expected is MALFORMED:
        with pytest.raises(MalformedCredentials):
            basic_credentials(header)
    else:
        credentials = basic_credentials(header)
        assert credentials == (BasicCredentials(*expected) if expected else None)


def test_bytes_read_as_the_latin_1_text_a_wsgi_server_passes():
    header = f"Basic\t{b64('clé:')}"

    assert basic_credentials(header.encode("latin-1")) == basic_credentials(header)
