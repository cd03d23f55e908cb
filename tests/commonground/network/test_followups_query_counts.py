"""The follow-ups and articles pages run a fixed number of queries, whatever their size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonground.network import services
from commonground.network.services import articles as article_services
from tests.commonground.factories import ProfileFactory, connect

pytestmark = pytest.mark.django_db


def _add_contacts(owner, count: int) -> None:
    for _ in range(count):
        other = ProfileFactory()
        connect(owner, other)
        services.keep_in_touch_set(
            owner=owner.user, contact_public_id=other.user.public_id, cadence_days=30
        )
        services.contact_note_create(
            owner=owner.user, contact_public_id=other.user.public_id, body="Likes kites."
        )
        article_services.article_share(
            sender=owner.user, contact_public_id=other.user.public_id, url="https://e.org/a"
        )
        article_services.article_share(
            sender=other.user, contact_public_id=owner.user.public_id, url="https://e.org/b"
        )


@pytest.mark.parametrize("url", ["/network/follow-ups/", "/network/articles/"])
def test_the_page_query_count_does_not_grow(url):
    # given
    owner = ProfileFactory()
    _add_contacts(owner, 1)
    client = Client()
    client.force_login(owner.user)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200

    # when
    _add_contacts(owner, 4)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)

    # then
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
