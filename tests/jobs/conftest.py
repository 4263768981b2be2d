from tests.workers import redis_server, start_worker, worker_env  # noqa: F401
