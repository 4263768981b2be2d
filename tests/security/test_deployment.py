"""Production settings pass Django's deployment checks; API keys are stored hashed only."""

import hashlib
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import ApiKey, Membership

ROOT = Path(__file__).resolve().parents[2]


def run_with(env, *arguments):
    environment = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "closecalls.settings",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "example.com",
        **env,
    }
    return subprocess.run(
        [sys.executable, *arguments], cwd=ROOT, env=environment, capture_output=True, text=True
    )


def production_setting(name, **env):
    code = (
        f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    )
    result = run_with(env, "-c", code)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_check_deploy_passes_with_production_settings():
    result = run_with({}, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("SESSION_COOKIE_SECURE", "True"),
        ("CSRF_COOKIE_SECURE", "True"),
        ("SECURE_SSL_REDIRECT", "True"),
        ("SECURE_HSTS_SECONDS", "31536000"),
        ("SECURE_CONTENT_TYPE_NOSNIFF", "True"),
        ("X_FRAME_OPTIONS", "DENY"),
    ],
)
def test_production_defaults_are_secure(name, value):
    assert production_setting(name) == value


def test_https_settings_can_be_set_for_a_proxy():
    env = {"SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https", "SECURE_SSL_REDIRECT": "0"}

    assert (
        production_setting("SECURE_PROXY_SSL_HEADER", **env)
        == "('HTTP_X_FORWARDED_PROTO', 'https')"
    )
    assert production_setting("SECURE_SSL_REDIRECT", **env) == "False"


def test_production_refuses_to_start_without_a_secret_key():
    result = run_with({"SECRET_KEY": ""}, "manage.py", "check")

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.django_db
def test_an_api_key_is_stored_and_looked_up_only_as_its_hash(alice, acme):
    api_key, key = ApiKey.issue(Membership.objects.get(user=alice))
    stored = ApiKey.objects.filter(pk=api_key.pk).values().get()

    with CaptureQueriesContext(connection) as queries:
        assert ApiKey.objects.authenticate(key) == api_key

    assert key not in str(stored.values())
    assert stored["hashed_key"] == hashlib.sha256(key.encode()).hexdigest()
    assert all(key not in query["sql"] for query in queries.captured_queries)
