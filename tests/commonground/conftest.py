"""Fixtures for the product's tests. Data comes from factories; nothing is pre-filled."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache() -> Iterator[None]:
    # The API rate counter and cached related-interest lists live in the cache; database ids
    # are reused after each test's rollback, so a stale entry would leak between tests.
    cache.clear()
    yield
    cache.clear()
