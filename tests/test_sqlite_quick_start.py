"""`make run` uses SQLite: its migrations and demo data must work there, not only on PostgreSQL."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, database_url, media_root):
    environment = {**os.environ, "DATABASE_URL": database_url, "MEDIA_ROOT": str(media_root)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_migrations_and_demo_data_work_on_sqlite_and_migrations_reverse(tmp_path):
    database_url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    steps = [
        ("migrate", "--no-input"),
        ("seed_demo",),
        ("migrate", "leads", "0001", "--no-input"),
        ("migrate", "--no-input"),
    ]
    for step in steps:
        result = manage(*step, database_url=database_url, media_root=tmp_path / "media")
        assert result.returncode == 0, f"{' '.join(step)} failed:\n{result.stderr[-3000:]}"
