"""Fixtures for the product's tests. Data comes from factories; nothing is pre-filled."""

from __future__ import annotations

import json
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


class ApiClient:
    """The Django test client speaking JSON to /api/v1, with a bearer token when given one."""

    def __init__(self, client, key: str | None = None) -> None:
        self.client = client
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {key}"} if key else {}

    def get(self, path: str, **params):
        return self.client.get(f"/api/v1{path}", params, **self.headers)

    def _send(self, method: str, path: str, body):
        payload = body if isinstance(body, str | bytes) else json.dumps(body)
        return getattr(self.client, method)(
            f"/api/v1{path}", payload, content_type="application/json", **self.headers
        )

    def post(self, path: str, body=None):
        return self._send("post", path, {} if body is None else body)

    def patch(self, path: str, body=None):
        return self._send("patch", path, {} if body is None else body)

    def delete(self, path: str):
        return self.client.delete(f"/api/v1{path}", **self.headers)


@pytest.fixture
def api_as(client):
    """api_as(profile) → an ApiClient authenticated with a fresh personal token of theirs."""
    from commonground.accounts.services import api_token_create

    def make(profile=None) -> ApiClient:
        if profile is None:
            return ApiClient(client)
        return ApiClient(client, api_token_create(user=profile.user, name="tests").key)

    return make


# The file database fixture for concurrency tests, available to every test module.
from tests.commonground.concurrency import file_database  # noqa: E402, F401
