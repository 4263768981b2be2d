"""`bin/with-postgres` works from a checkout the postgres user cannot enter (a mode 700 home)."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CONNECTS = "import os, psycopg; psycopg.connect(os.environ['DATABASE_URL']).execute('SELECT 1')"


@pytest.mark.postgresql
@pytest.mark.skipif(os.getuid() != 0, reason="only root runs PostgreSQL as another user")
def test_it_starts_postgresql_quietly_from_a_directory_postgres_cannot_enter(tmp_path):
    home = tmp_path / "home"
    (home / "checkout" / "bin").mkdir(parents=True)
    home.chmod(0o700)
    shutil.copy(ROOT / "bin" / "with-postgres", home / "checkout" / "bin")
    environment = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}

    result = subprocess.run(
        ["bin/with-postgres", sys.executable, "-c", CONNECTS],
        cwd=home / "checkout",
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
