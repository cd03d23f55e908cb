"""Reading notifications: the recipient alone, never from a blocked member, fixed queries."""

from __future__ import annotations

import contextlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.network.models import Block
from commonground.network.services import member_block
from commonground.notifications.errors import NotificationNotFound
from commonground.notifications.selectors import (
    notification_get,
    notification_list,
    notification_unread_count,
)
from commonground.notifications.services import notification_mark_all_read, notification_mark_read
from tests.commonground.factories import ProfileFactory
from tests.commonground.notifications.helpers import make_notification

pytestmark = pytest.mark.django_db


def test_unread_count_is_one_query_of_own_unread_in_app_notifications(
    django_assert_num_queries,
):
    # given
    ada, bo = ProfileFactory(), ProfileFactory()
    make_notification(ada.user, "one")
    make_notification(ada.user, "two")
    make_notification(ada.user, "read", read_at=timezone.now())
    make_notification(ada.user, "email only", in_app=False)
    make_notification(bo.user, "someone else's")

    # when
    with django_assert_num_queries(1):
        count = notification_unread_count(user=ada.user)

    # then
    assert count == 2


def test_unread_count_of_the_anonymous_is_zero_without_a_query(django_assert_num_queries):
    # when
    with django_assert_num_queries(0):
        count = notification_unread_count(user=AnonymousUser())

    # then
    assert count == 0


@pytest.mark.parametrize("size", [3, 25])
def test_the_list_is_newest_first_in_two_queries(django_assert_num_queries, size):
    # given
    ada = ProfileFactory()
    start = timezone.now()
    for n in range(size):
        make_notification(
            ada.user,
            f"n{n}",
            actor=ProfileFactory(display_name=f"Actor {n}").user,
            created_at=start + timedelta(minutes=n),
        )

    # when
    with django_assert_num_queries(2):
        page = notification_list(user=ada.user, page=1, size=20)
        shown = [(v.text, v.actor_name) for v in page.items]

    # then
    assert page.total == size
    expected = [(f"n{n}", f"Actor {n}") for n in reversed(range(size))][:20]
    assert shown == expected


def test_the_list_pages_and_filters_unread():
    # given
    ada = ProfileFactory()
    start = timezone.now()
    for n in range(5):
        make_notification(
            ada.user,
            f"n{n}",
            created_at=start + timedelta(minutes=n),
            read_at=start if n % 2 else None,
        )

    # when
    second = notification_list(user=ada.user, page=2, size=2)
    unread = notification_list(user=ada.user, unread_only=True)
    past_the_end = notification_list(user=ada.user, page=50, size=2)

    # then
    assert ([v.text for v in second.items], second.pages) == (["n2", "n1"], 3)
    assert ([v.text for v in past_the_end.items], past_the_end.number) == (["n0"], 3)
    assert [v.text for v in unread.items] == ["n4", "n2", "n0"]


@pytest.mark.parametrize("who_blocks", ["recipient", "actor"])
def test_a_block_made_later_hides_what_the_member_did(who_blocks):
    # given
    ada, bo = ProfileFactory(), ProfileFactory()
    from_bo = make_notification(ada.user, "from Bo", actor=bo.user)
    make_notification(ada.user, "from nobody")
    if who_blocks == "recipient":
        member_block(user=ada.user, member_public_id=bo.user.public_id)
    else:
        member_block(user=bo.user, member_public_id=ada.user.public_id)

    # when
    listed = notification_list(user=ada.user)
    count = notification_unread_count(user=ada.user)

    # then
    assert [v.text for v in listed.items] == ["from nobody"]
    assert count == 1
    with pytest.raises(NotificationNotFound):
        notification_get(user=ada.user, public_id=from_bo.public_id)
    with pytest.raises(NotificationNotFound):
        notification_mark_read(user=ada.user, public_id=from_bo.public_id)


def test_another_member_cannot_read_or_mark_it():
    # given
    ada, eve = ProfileFactory(), ProfileFactory()
    mine = make_notification(ada.user, "secret canary")

    # when / then
    with pytest.raises(NotificationNotFound) as caught:
        notification_get(user=eve.user, public_id=mine.public_id)
    assert caught.value.as_dict() == {
        "code": "notification_not_found",
        "message": "No such notification.",
        "field": None,
    }
    with pytest.raises(NotificationNotFound):
        notification_mark_read(user=eve.user, public_id=mine.public_id)
    assert notification_mark_all_read(user=eve.user) == 0
    mine.refresh_from_db()
    assert mine.read_at is None


def test_marking_read_is_idempotent():
    # given
    ada = ProfileFactory()
    row = make_notification(ada.user)

    # when
    notification_mark_read(user=ada.user, public_id=row.public_id)
    row.refresh_from_db()
    first = row.read_at
    notification_mark_read(user=ada.user, public_id=row.public_id)
    row.refresh_from_db()

    # then
    assert first is not None
    assert row.read_at == first


def test_mark_all_read_counts_only_unread():
    # given
    ada = ProfileFactory()
    make_notification(ada.user, "a")
    make_notification(ada.user, "b")
    make_notification(ada.user, "c", read_at=timezone.now())

    # when
    marked = notification_mark_all_read(user=ada.user)

    # then
    assert marked == 2
    assert notification_unread_count(user=ada.user) == 0


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["ada", "bo", "cy"]),  # recipient
            st.sampled_from([None, "ada", "bo", "cy"]),  # actor
            st.booleans(),  # in_app
            st.booleans(),  # read
        ),
        max_size=8,
    ),
    blocks=st.lists(
        st.sampled_from([("ada", "bo"), ("bo", "ada"), ("ada", "cy"), ("cy", "bo")]),
        max_size=2,
        unique=True,
    ),
)
def test_detail_list_and_badge_agree(rows, blocks):
    # given
    with transaction.atomic():
        people = {name: ProfileFactory().user for name in ("ada", "bo", "cy")}
        for blocker, blocked in blocks:
            Block.objects.create(blocker=people[blocker], blocked=people[blocked])
        made = [
            make_notification(
                people[recipient],
                actor=people[actor] if actor else None,
                in_app=in_app,
                read_at=timezone.now() if read else None,
            )
            for recipient, actor, in_app, read in rows
        ]
        viewer = people["ada"]

        # when
        listed = {v.public_id for v in notification_list(user=viewer, size=100).items}
        detail = set()
        for row in made:
            with contextlib.suppress(NotificationNotFound):
                detail.add(notification_get(user=viewer, public_id=row.public_id).public_id)
        unread = notification_unread_count(user=viewer)

        # then
        assert listed == detail
        assert unread == sum(1 for row in made if row.public_id in listed and row.read_at is None)
        for row in made:
            if row.public_id in listed:
                assert row.recipient_id == viewer.pk
                assert row.in_app
                assert (
                    row.actor_id is None
                    or not Block.objects.filter(
                        Q(blocker=viewer, blocked_id=row.actor_id)
                        | Q(blocker_id=row.actor_id, blocked=viewer)
                    ).exists()
                )
        transaction.set_rollback(True)
