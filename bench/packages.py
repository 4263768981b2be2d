"""The Debian packages `make bench` needs, installed when missing, as `.ci/run` does for tests."""

import os
import shutil
import subprocess

from bench.cluster import postgres_bin

# Package: how to tell it is there.
NEEDED = {
    "wrk": lambda: shutil.which("wrk") is not None,
    "postgresql": lambda: postgres_bin() is not None,
}


def ensure_installed():
    """Install the missing packages with apt-get when running as root; otherwise stop and say
    which to install."""
    missing = [package for package, present in NEEDED.items() if not present()]
    if not missing:
        return
    names = " ".join(missing)
    if os.getuid() != 0:
        raise SystemExit(f"bench: install {names} first (sudo apt-get install {names})")
    print(f"bench: installing {names}", flush=True)
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", *missing]):
        if subprocess.run(command, env=environment, stdout=subprocess.DEVNULL).returncode != 0:
            raise SystemExit(f"bench: `{' '.join(command)}` failed (see above)")
    still = [package for package, present in NEEDED.items() if not present()]
    if still:
        raise SystemExit(f"bench: {' '.join(still)} still missing after apt-get install")
