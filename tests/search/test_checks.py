"""SEARCH_CONFIG names a text search configuration PostgreSQL has, or `check` says so."""

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

pytestmark = pytest.mark.postgresql


def test_an_unknown_text_search_configuration_fails_the_database_checks(db, settings):
    settings.SEARCH_CONFIG = "klingon"

    with pytest.raises(SystemCheckError, match="search.E001.*'klingon'"):
        call_command("check", databases=["default"])


def test_a_configuration_postgresql_has_passes_the_database_checks(db, settings, capsys):
    settings.SEARCH_CONFIG = "simple"

    call_command("check", databases=["default"])

    assert "no issues" in capsys.readouterr().out
