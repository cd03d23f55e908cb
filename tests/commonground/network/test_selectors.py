"""Network reads: the viewer's relations in one query, lists with fixed query counts."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.network.models import Block, Mute
from commonground.network.selectors import connection_list, mutual_connections
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import InterestFactory, ProfileFactory, connect, give_interests

pytestmark = pytest.mark.django_db


def test_viewer_for_user_reads_connections_blocks_and_mutes_in_one_query(
    django_assert_num_queries,
):
    # given
    me, friend, blocked, blocker, muted = (ProfileFactory() for _ in range(5))
    connect(me, friend)
    Block.objects.create(blocker=me.user, blocked=blocked.user)
    Block.objects.create(blocker=blocker.user, blocked=me.user)
    Mute.objects.create(muter=me.user, muted=muted.user)
    Mute.objects.create(muter=muted.user, muted=me.user)  # their mute is theirs alone

    # when
    with django_assert_num_queries(1):
        viewer = Viewer.for_user(me.user)

    # then
    assert viewer.connections == {friend.user_id}
    assert viewer.blocked == {blocked.user_id, blocker.user_id}
    assert viewer.muted == {muted.user_id}


# count, page, their interests, the viewer's interests, the member total for rarity weights
CONNECTION_LIST_QUERIES = 5


@pytest.mark.parametrize("friends", [3, 15])
def test_connection_list_runs_a_fixed_number_of_queries(friends, django_assert_num_queries):
    # given
    shared = InterestFactory()
    me = ProfileFactory()
    give_interests(me, shared)
    for n in range(friends):
        friend = ProfileFactory(display_name=f"Friend {n:02}")
        give_interests(friend, shared, InterestFactory())
        connect(me, friend)
    viewer = Viewer.for_user(me.user)

    # when
    with django_assert_num_queries(CONNECTION_LIST_QUERIES):
        page = connection_list(viewer=viewer)
        shown = [(m.display_name, len(m.interests or []), len(m.shared)) for m in page.items]

    # then
    assert shown == [(f"Friend {n:02}", 2, 1) for n in range(friends)]
    assert page.total == friends


def test_mutual_connections_are_the_viewers_own_less_blocked_and_departed():
    # given
    me, other = ProfileFactory(), ProfileFactory()
    kept, blocked, gone, only_mine = (ProfileFactory(display_name=n) for n in "KBGO")
    for mutual in (kept, blocked, gone):
        connect(me, mutual)
        connect(other, mutual)
    connect(me, only_mine)
    Block.objects.create(blocker=blocked.user, blocked=me.user)
    gone.user.is_active = False
    gone.user.save()

    # when
    mutual = mutual_connections(viewer=Viewer.for_user(me.user), other_id=other.user_id)

    # then
    assert [(m.display_name, m.public_id) for m in mutual] == [("K", kept.user.public_id)]
    assert mutual_connections(viewer=Viewer.for_user(me.user), other_id=me.user_id) == []


FUZZ = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
junk = st.one_of(
    st.just("\x00"), st.just("x" * 600), st.text(max_size=30), st.just("../../etc"), st.none()
)


@FUZZ
@given(note=junk, target=junk, next_url=junk, q=junk, page=junk)
def test_junk_never_makes_a_network_page_fail(note, target, next_url, q, page):
    # given
    me, them = ProfileFactory(), ProfileFactory()
    client = Client()
    client.force_login(me.user)
    data = {k: v for k, v in {"note": note, "next": next_url}.items() if v is not None}
    query = {k: v for k, v in {"q": q, "page": page}.items() if v is not None}

    # when
    answers = [
        client.post(f"/network/connect/{them.user.public_id}/", data),
        client.get("/network/", query),
        client.post(
            "/api/v1/connections/requests",
            {"member_id": target, "note": note},
            content_type="application/json",
        ),
        client.get("/api/v1/connections", query),
    ]
    if target:
        answers.append(client.post(f"/network/connect/{target}/", data))

    # then
    assert all(r.status_code < 500 for r in answers), [r.status_code for r in answers]
