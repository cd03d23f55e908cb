"""An introduction reads connections and blocks under the introducer's lock (no TOCTOU)."""

from __future__ import annotations

import pytest

from commonground.network.models import Introduction
from commonground.network.services import introductions as introduction_services
from commonground.network.services import member_block
from commonground.profiles.errors import MemberNotFound
from tests.commonground.factories import ProfileFactory, connect

pytestmark = pytest.mark.django_db


def test_a_block_committed_while_an_introduction_waits_for_the_lock_stops_it(monkeypatch):
    # given: two connections, one of whom blocks the introducer while the introduction
    # waits for its lock
    introducer, b, c = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(introducer, b)
    connect(introducer, c)
    real_lock = introduction_services.lock_member

    def block_then_lock(*, user_id: int) -> None:
        member_block(user=b.user, member_public_id=introducer.user.public_id)
        real_lock(user_id=user_id)

    monkeypatch.setattr(introduction_services, "lock_member", block_then_lock)
    # when
    with pytest.raises(MemberNotFound):
        introduction_services.introduction_create(
            introducer=introducer.user,
            member_public_ids=[b.user.public_id, c.user.public_id],
            reason="You both fly kites.",
        )
    # then
    assert Introduction.objects.count() == 0
