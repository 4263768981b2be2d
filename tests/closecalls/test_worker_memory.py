"""A web worker's memory: the libraries only audio decoding needs stay out of it until used."""

import os
import subprocess
import sys
from pathlib import Path

# A fresh interpreter loads the site as a web worker does: settings, every app (admin
# registrations included) and every URL's views and API.
LOAD_THE_SITE = """
import sys
import django
django.setup()
from django.urls import get_resolver
get_resolver().url_patterns
print(" ".join(name for name in ("av", "numpy") if name in sys.modules))
"""


def test_serving_pages_and_the_api_loads_neither_pyav_nor_numpy():
    """PyAV and numpy are about 40 MB of each worker's memory; they load with the first upload
    checked or recording decoded, not for every page."""
    root = Path(__file__).resolve().parents[2]
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "closecalls.settings"}

    loaded = subprocess.run(
        [sys.executable, "-c", LOAD_THE_SITE],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    assert loaded == ""
