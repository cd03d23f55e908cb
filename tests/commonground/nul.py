"""A probe for NUL bytes reaching the database (PostgreSQL rejects them in text; SQLite keeps
them), shared by the bad-input tests."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def queries_with_nul() -> Iterator[list[str]]:
    """The SQL of every query that carries a NUL byte in its text or parameters."""
    found: list[str] = []

    def record(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        values = [v for row in params for v in row] if many and params else list(params or [])
        if "\x00" in sql or any(isinstance(v, str) and "\x00" in v for v in values):
            found.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        yield found
