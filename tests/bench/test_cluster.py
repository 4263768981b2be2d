"""`make bench` starts its PostgreSQL cluster wherever the checkout lives."""

import os
import shutil

import pytest

from bench.cluster import SERVER_SETTINGS, Cluster

pytestmark = [
    pytest.mark.postgresql,
    pytest.mark.skipif(os.getuid() != 0, reason="only root runs PostgreSQL as another user"),
]


@pytest.fixture
def private_home(tmp_path):
    """A home directory of mode 700, which the postgres user cannot enter."""
    home = tmp_path / "home"
    home.mkdir(mode=0o700)
    return home


def test_the_cluster_starts_when_postgres_cannot_enter_the_checkout(private_home, monkeypatch):
    monkeypatch.setitem(SERVER_SETTINGS, "shared_buffers", "16MB")
    cluster = Cluster(private_home / "checkout" / ".bench")
    try:
        cluster.start()

        assert cluster.setting("server_version")
        assert not cluster.data.is_relative_to(private_home)
    finally:
        cluster.stop()
        if not cluster.home.is_relative_to(private_home):
            shutil.rmtree(cluster.home)
