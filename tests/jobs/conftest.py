import pytest

from tests.workers import redis_server, start_worker, worker_env  # noqa: F401


@pytest.fixture
def rq_worker(redis_server, settings, start_worker):  # noqa: F811
    """Point this process's enqueueing at Redis; return a starter of RQ workers."""
    settings.JOBS_BACKEND = "rq"
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {"default": {"URL": redis_server, "DEFAULT_TIMEOUT": -1}}
    return lambda: start_worker(JOBS_BACKEND="rq", REDIS_URL=redis_server)


@pytest.fixture(params=["database", "rq"])
def any_worker(request, transactional_db):
    """A starter of workers of each backend in turn: the test runs once per backend."""
    return request.getfixturevalue("start_worker" if request.param == "database" else "rq_worker")
