"""The product's settings with the usual way's URLconf: same middleware, auth and database."""

from closecalls.settings import *  # noqa: F403

ROOT_URLCONF = "bench.usual"
