"""Sharing an article checks the connection under the lock a block also takes (no TOCTOU)."""

from __future__ import annotations

import pytest

from commonground.network.followup_models import SharedArticle
from commonground.network.services import articles as article_services
from commonground.network.services import member_block
from commonground.profiles.errors import MemberNotFound
from tests.commonground.factories import ProfileFactory, connect

pytestmark = pytest.mark.django_db


def test_a_block_committed_while_a_share_waits_for_the_lock_stops_the_share(monkeypatch):
    # given: two connections, and a block that lands while the share waits for its lock
    a, b = ProfileFactory(), ProfileFactory()
    connect(a, b)
    real_lock = article_services.lock_member

    def block_then_lock(*, user_id: int) -> None:
        member_block(user=b.user, member_public_id=a.user.public_id)
        real_lock(user_id=user_id)

    monkeypatch.setattr(article_services, "lock_member", block_then_lock)
    # when
    with pytest.raises(MemberNotFound):
        article_services.article_share(
            sender=a.user, contact_public_id=b.user.public_id, url="https://example.org/a"
        )
    # then
    assert SharedArticle.objects.count() == 0
