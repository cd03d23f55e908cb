"""A member's page offers what fits the relationship: Message when messaging's rule allows it,
Introduce and notes to connections, the groups both belong to; private notes stay private."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from commonground.groups import services as groups
from commonground.messaging.services.preferences import messaging_settings_update
from commonground.network.services.followups import contact_note_create
from commonground.network.services.safety import member_block
from commonground.profiles.models import Profile
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.groups.helpers import add_member, make_group

pytestmark = pytest.mark.django_db


def _page(viewer: Profile | None, member: Profile) -> tuple[int, str]:
    client = Client()
    if viewer is not None:
        client.force_login(viewer.user)
    response = client.get(reverse("profiles:detail", args=[member.user.public_id]))
    return response.status_code, response.content.decode()


def _message_link(member: Profile) -> str:
    return f'href="/messages/new/?to={member.user.public_id}"'


def _introduce_link(member: Profile) -> str:
    return f'href="/network/introductions/new/?m={member.user.public_id}"'


def test_a_connection_sees_message_introduce_and_their_notes():
    # given
    me, friend = ProfileFactory(), ProfileFactory()
    connect(me, friend)
    contact_note_create(
        owner=me.user, contact_public_id=friend.user.public_id, body="Met at the cat café"
    )
    # when
    status, html = _page(me, friend)
    # then
    assert status == 200
    assert _message_link(friend) in html
    assert _introduce_link(friend) in html
    assert 'href="#just-for-you"' in html
    assert f'href="/network/share/{friend.user.public_id}/' in html
    assert "Met at the cat café" in html
    assert "Keep in touch" in html


def test_a_stranger_who_shares_no_group_gets_no_message_button():
    # given
    me, stranger = ProfileFactory(), ProfileFactory()
    # when
    status, html = _page(me, stranger)
    # then
    assert status == 200
    assert _message_link(stranger) not in html
    assert _introduce_link(stranger) not in html
    assert f'href="/network/share/{stranger.user.public_id}/' not in html
    assert 'id="member-actions"' not in html
    assert 'id="groups-in-common"' not in html


def test_a_group_co_member_may_message_but_not_introduce_and_sees_the_group():
    # given
    me, other, owner = ProfileFactory(), ProfileFactory(), ProfileFactory()
    group = make_group(owner, name="Kittens & Bacon", visibility="secret")
    add_member(group, me)
    add_member(group, other)
    # when
    status, html = _page(me, other)
    # then
    assert status == 200
    assert _message_link(other) in html
    assert _introduce_link(other) not in html
    assert 'id="groups-in-common"' in html
    assert f'href="/groups/{group.slug}/">Kittens &amp; Bacon</a>' in html


def test_groups_only_one_of_them_is_in_are_not_in_common():
    # given
    me, friend, owner = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(me, friend)
    theirs = make_group(owner, name="Their secret club", visibility="secret")
    add_member(theirs, friend)
    invited_only = make_group(owner, name="Invited only", visibility="private")
    add_member(invited_only, friend)
    groups.group_invite(user=owner.user, slug=invited_only.slug, member_public_id=me.user.public_id)
    # when
    status, html = _page(me, friend)
    # then
    assert status == 200
    assert 'id="groups-in-common"' not in html
    assert "Their secret club" not in html
    assert "Invited only" not in html


def test_the_recipients_setting_decides_for_non_connections():
    # given
    me, other, owner = ProfileFactory(), ProfileFactory(), ProfileFactory()
    group = make_group(owner)
    add_member(group, me)
    add_member(group, other)
    messaging_settings_update(user=other.user, allow_from="connections")
    # when
    status, html = _page(me, other)
    # then
    assert status == 200
    assert _message_link(other) not in html
    assert 'id="groups-in-common"' in html


def test_notes_are_shown_to_their_owner_only():
    # given
    me, friend, third = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(me, friend)
    connect(third, friend)
    contact_note_create(
        owner=me.user, contact_public_id=friend.user.public_id, body="Canary note 7f3a"
    )
    # when
    pages = [_page(me, friend), _page(friend, friend), _page(third, friend), _page(None, friend)]
    # then
    assert [status for status, _ in pages] == [200, 200, 200, 200]
    assert ["Canary note 7f3a" in html for _, html in pages] == [True, False, False, False]


def test_my_own_page_offers_no_message_or_introduce():
    # given
    me = ProfileFactory()
    # when
    status, html = _page(me, me)
    # then
    assert status == 200
    assert 'id="member-actions"' not in html
    assert "Edit my profile" in html


def test_a_visitor_sees_no_actions():
    # given
    member = ProfileFactory()
    # when
    status, html = _page(None, member)
    # then
    assert status == 200
    assert 'id="member-actions"' not in html


@pytest.mark.parametrize("who_blocks", ["viewer", "member"])
def test_blocked_either_way_is_404_as_before(who_blocks: str):
    # given
    me, friend = ProfileFactory(), ProfileFactory()
    connect(me, friend)
    blocker, blocked = (me, friend) if who_blocks == "viewer" else (friend, me)
    member_block(user=blocker.user, member_public_id=blocked.user.public_id)
    # when
    status, _ = _page(me, friend)
    missing = Client()
    missing.force_login(me.user)
    nobody = missing.get(reverse("profiles:detail", args=["no-such-member"]))
    # then
    assert status == 404
    assert nobody.status_code == 404
