"""Concurrent identical writes make exactly one row and never a server error.

Each thread uses its own database connection (closed at its end), as concurrent requests do.
Run on SQLite by default and on PostgreSQL with DATABASE_URL.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator

import pytest
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper

from commonground.core.errors import ApplicationError
from commonground.network.models import Block, Connection, ConnectionRequest
from commonground.network.services import (
    connection_request_accept,
    connection_request_create,
    member_block,
)
from tests.commonground.factories import ProfileFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

THREADS = 100
Connect = Callable[[], BaseDatabaseWrapper] | None


@pytest.fixture(autouse=True)
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


def _race(
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


def test_100_concurrent_identical_requests_make_exactly_one(file_database):
    # given
    sender, recipient = ProfileFactory(), ProfileFactory()

    def send() -> object:
        return connection_request_create(
            sender=sender.user, recipient_public_id=recipient.user.public_id, note="Hi!"
        ).pk

    # when
    answers, handled, unexpected = _race([send] * THREADS, file_database)

    # then
    assert unexpected == []
    assert handled == []
    [only] = ConnectionRequest.objects.all()
    assert only.state == ConnectionRequest.State.PENDING
    assert answers == [only.pk] * THREADS


def test_two_members_requesting_each_other_at_once_end_connected_with_one_request(
    file_database,
):
    # given
    a, b = ProfileFactory(), ProfileFactory()

    def from_a() -> object:
        return connection_request_create(sender=a.user, recipient_public_id=b.user.public_id).pk

    def from_b() -> object:
        return connection_request_create(sender=b.user, recipient_public_id=a.user.public_id).pk

    # when
    answers, handled, unexpected = _race([from_a, from_b] * (THREADS // 2), file_database)

    # then: one request, accepted by the other's wish; later callers may find them connected
    assert unexpected == []
    assert set(handled) <= {"already_connected"}
    [only] = ConnectionRequest.objects.all()
    assert only.state == ConnectionRequest.State.ACCEPTED
    assert Connection.objects.count() == 1
    assert set(answers) == {only.pk}
    assert len(answers) + len(handled) == THREADS


def test_concurrent_accepts_and_a_block_leave_a_consistent_pair(file_database):
    # given
    a, b = ProfileFactory(), ProfileFactory()
    request = connection_request_create(sender=a.user, recipient_public_id=b.user.public_id)

    def accept() -> object:
        return connection_request_accept(user=b.user, request_public_id=request.public_id).pk

    def block() -> object:
        return member_block(user=b.user, member_public_id=a.user.public_id).pk

    # when
    _answers, handled, unexpected = _race([accept] * 20 + [block] * 20, file_database)

    # then: the block wins in the end, whatever the order: no connection, no open request
    assert unexpected == []
    assert set(handled) <= {"request_not_found", "member_not_found"}
    assert Block.objects.count() == 1
    assert Connection.objects.count() == 0
    assert ConnectionRequest.objects.filter(state=ConnectionRequest.State.PENDING).count() == 0
