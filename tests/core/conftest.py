from tests.core.https_server import certificate, https_server  # noqa: F401 (fixtures)
