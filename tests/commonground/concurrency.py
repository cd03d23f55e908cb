"""Shared tools for concurrency tests: a file database on SQLite, and a race of threads.

Each thread uses its own database connection (closed at its end), as concurrent requests do.
Run on SQLite by default and on PostgreSQL with DATABASE_URL. Use with
`pytest.mark.django_db(transaction=True)` and `pytest.mark.concurrency`.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator

import pytest
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from commonground.core.errors import ApplicationError

Connect = Callable[[], BaseDatabaseWrapper] | None


@pytest.fixture
def file_database(tmp_path) -> Iterator[Connect]:
    """On SQLite the test database lives in memory with a shared cache, where a concurrent
    writer fails at once ("database table is locked") instead of waiting its turn as on the
    file database the product runs on (WAL, busy timeout, IMMEDIATE transactions). Copy the
    flushed test database to a file and point this thread, and each racing thread, at it."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield None
        return
    path = tmp_path / "concurrency.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    settings_dict = {**connection.settings_dict, "NAME": str(path)}
    wrapper = type(connections["default"])

    def connect() -> BaseDatabaseWrapper:
        return wrapper(settings_dict, alias="default")

    in_memory = connections["default"]
    connections["default"] = connect()
    try:
        yield connect
    finally:
        connections["default"].close()
        connections["default"] = in_memory


def race(
    jobs: list[Callable[[], object]], connect: Connect
) -> tuple[list[object], list[str], list[Exception]]:
    """Run the jobs at once; answers, handled error codes, and anything else raised."""
    barrier = threading.Barrier(len(jobs))
    answers: list[object] = []
    handled: list[str] = []
    unexpected: list[Exception] = []
    lock = threading.Lock()

    def run(job: Callable[[], object]) -> None:
        if connect is not None:
            connections["default"] = connect()
        try:
            barrier.wait()
            answer = job()
            with lock:
                answers.append(answer)
        except ApplicationError as error:
            with lock:
                handled.append(error.code)
        except Exception as error:  # anything else would be a 500
            with lock:
                unexpected.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers, handled, unexpected
