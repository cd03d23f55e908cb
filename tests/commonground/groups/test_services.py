"""Group services: every transition, and every refusal with its code."""

from __future__ import annotations

import pytest

from commonground.core.errors import ApplicationError
from commonground.groups import services
from commonground.groups.models import Group, Membership
from tests.commonground.factories import InterestFactory, ProfileFactory
from tests.commonground.groups.helpers import make_group, membership

pytestmark = pytest.mark.django_db


def _code(call, **kwargs) -> str:
    with pytest.raises(ApplicationError) as caught:
        call(**kwargs)
    return caught.value.code


def test_create_makes_the_creator_the_only_owner_and_first_member():
    # given
    owner = ProfileFactory()
    kittens, bacon = InterestFactory(name="Kittens"), InterestFactory(name="Bacon")
    # when
    group = make_group(owner, kittens, bacon, scope="local", city="Lyon", country="France")
    # then
    assert set(group.interests.values_list("name", flat=True)) == {"Kittens", "Bacon"}
    assert group.member_count == 1
    assert group.city_key == "lyon"
    assert group.region == ""
    rows = list(Membership.objects.filter(group=group).values_list("user_id", "role", "state"))
    assert rows == [(owner.user_id, "owner", "active")]
    assert len(group.slug) >= 10


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "ab"}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": "Bad\x00name"}, "name"),
        ({"scope": "galactic"}, "scope"),
        ({"visibility": "hidden"}, "visibility"),
        ({"scope": "local", "country": "France"}, "city"),
        ({"scope": "regional", "region": "Rhône"}, "country"),
        ({"scope": "national"}, "country"),
        ({"description": "d" * 4001}, "description"),
    ],
)
def test_create_refuses_invalid_input_and_creates_nothing(fields, field):
    owner = ProfileFactory()
    with pytest.raises(ApplicationError) as caught:
        make_group(owner, InterestFactory(), **fields)
    assert caught.value.field == field
    assert caught.value.code == "invalid"
    assert Group.objects.count() == 0


def test_create_needs_one_to_five_interests():
    owner = ProfileFactory()
    with pytest.raises(ApplicationError) as none:
        services.group_create(user=owner.user, name="Nothing", interests=[])
    with pytest.raises(ApplicationError) as six:
        services.group_create(
            user=owner.user, name="Too many", interests=[InterestFactory() for _ in range(6)]
        )
    assert (none.value.field, six.value.field) == ("interests", "interests")
    assert Group.objects.count() == 0


def test_joining_a_public_group_is_immediate_and_idempotent():
    owner, member = ProfileFactory(), ProfileFactory()
    group = make_group(owner)
    first = services.group_join(user=member.user, slug=group.slug)
    again = services.group_join(user=member.user, slug=group.slug)
    group.refresh_from_db()
    assert (first.pk, first.state, first.role) == (again.pk, "active", "member")
    assert group.member_count == 2


def test_joining_a_private_group_asks_and_approval_lets_in_once():
    owner, member = ProfileFactory(), ProfileFactory()
    group = make_group(owner, visibility="private")
    row = services.group_join(user=member.user, slug=group.slug)
    assert row.state == "requested"
    group.refresh_from_db()
    assert group.member_count == 1
    services.group_request_approve(
        user=owner.user, slug=group.slug, member_public_id=member.user.public_id
    )
    services.group_request_approve(
        user=owner.user, slug=group.slug, member_public_id=member.user.public_id
    )
    group.refresh_from_db()
    assert membership(group, member).state == "active"
    assert group.member_count == 2


def test_declining_a_request_removes_it_and_only_organizers_may():
    owner, member, other = ProfileFactory(), ProfileFactory(), ProfileFactory()
    group = make_group(owner, visibility="private")
    services.group_join(user=member.user, slug=group.slug)
    services.group_join(user=other.user, slug=group.slug)
    code = _code(
        services.group_request_decline,
        user=other.user,
        slug=group.slug,
        member_public_id=member.user.public_id,
    )
    assert code == "not_organizer"
    services.group_request_decline(
        user=owner.user, slug=group.slug, member_public_id=member.user.public_id
    )
    assert membership(group, member) is None
    assert (
        _code(
            services.group_request_decline,
            user=owner.user,
            slug=group.slug,
            member_public_id=member.user.public_id,
        )
        == "membership_not_found"
    )


def test_a_secret_group_needs_an_invitation_and_is_missing_to_outsiders():
    owner, outsider = ProfileFactory(), ProfileFactory()
    group = make_group(owner, visibility="secret")
    assert _code(services.group_join, user=outsider.user, slug=group.slug) == "group_not_found"
    assert membership(group, outsider) is None


def test_an_invitation_to_a_secret_group_is_accepted_by_joining():
    owner, friend = ProfileFactory(), ProfileFactory()
    group = make_group(owner, visibility="secret")
    invited = services.group_invite(
        user=owner.user, slug=group.slug, member_public_id=friend.user.public_id
    )
    assert invited.state == "invited"
    row = services.group_join(user=friend.user, slug=group.slug)
    group.refresh_from_db()
    assert (row.state, group.member_count) == ("active", 2)


def test_declining_an_invitation_to_a_secret_group_hides_it_again():
    owner, friend = ProfileFactory(), ProfileFactory()
    group = make_group(owner, visibility="secret")
    services.group_invite(user=owner.user, slug=group.slug, member_public_id=friend.user.public_id)
    services.group_invite_decline(user=friend.user, slug=group.slug)
    assert membership(group, friend) is None
    assert _code(services.group_invite_accept, user=friend.user, slug=group.slug) == (
        "group_not_found"
    )


def test_invite_accept_without_an_invitation_is_refused():
    owner, member = ProfileFactory(), ProfileFactory()
    group = make_group(owner)
    assert _code(services.group_invite_accept, user=member.user, slug=group.slug) == (
        "membership_not_found"
    )
    assert _code(services.group_invite_decline, user=member.user, slug=group.slug) == (
        "membership_not_found"
    )


def test_inviting_someone_who_asked_lets_them_in_and_a_member_is_a_conflict():
    owner, asker = ProfileFactory(), ProfileFactory()
    group = make_group(owner, visibility="private")
    services.group_join(user=asker.user, slug=group.slug)
    row = services.group_invite(
        user=owner.user, slug=group.slug, member_public_id=asker.user.public_id
    )
    assert row.state == "active"
    assert (
        _code(
            services.group_invite,
            user=owner.user,
            slug=group.slug,
            member_public_id=asker.user.public_id,
        )
        == "already_member"
    )
    group.refresh_from_db()
    assert group.member_count == 2


def test_only_organizers_invite_and_only_findable_members_are_invited():
    owner, member = ProfileFactory(), ProfileFactory()
    group = make_group(owner)
    services.group_join(user=member.user, slug=group.slug)
    target = ProfileFactory()
    assert (
        _code(
            services.group_invite,
            user=member.user,
            slug=group.slug,
            member_public_id=target.user.public_id,
        )
        == "not_organizer"
    )
    assert (
        _code(services.group_invite, user=owner.user, slug=group.slug, member_public_id="nobody")
        == "member_not_found"
    )


def test_leaving_counts_down_and_the_owner_must_transfer_first():
    owner, member = ProfileFactory(), ProfileFactory()
    group = make_group(owner)
    services.group_join(user=member.user, slug=group.slug)
    services.group_leave(user=member.user, slug=group.slug)
    group.refresh_from_db()
    assert group.member_count == 1
    assert membership(group, member) is None
    assert _code(services.group_leave, user=member.user, slug=group.slug) == "not_member"
    assert _code(services.group_leave, user=owner.user, slug=group.slug) == "owner_must_transfer"


def test_withdrawing_a_request_does_not_change_the_count():
    owner, member = ProfileFactory(), ProfileFactory()
    group = make_group(owner, visibility="private")
    services.group_join(user=member.user, slug=group.slug)
    services.group_leave(user=member.user, slug=group.slug)
    group.refresh_from_db()
    assert group.member_count == 1
    assert membership(group, member) is None


def test_remove_member_by_organizer_but_never_the_owner():
    owner, organizer, member = ProfileFactory(), ProfileFactory(), ProfileFactory()
    group = make_group(owner)
    for p in (organizer, member):
        services.group_join(user=p.user, slug=group.slug)
    services.group_role_set(
        user=owner.user,
        slug=group.slug,
        member_public_id=organizer.user.public_id,
        role="organizer",
    )
    assert (
        _code(
            services.group_member_remove,
            user=organizer.user,
            slug=group.slug,
            member_public_id=owner.user.public_id,
        )
        == "owner_cannot_be_removed"
    )
    assert (
        _code(
            services.group_member_remove,
            user=member.user,
            slug=group.slug,
            member_public_id=organizer.user.public_id,
        )
        == "not_organizer"
    )
    services.group_member_remove(
        user=organizer.user, slug=group.slug, member_public_id=member.user.public_id
    )
    group.refresh_from_db()
    assert group.member_count == 2
    assert membership(group, member) is None


def test_only_the_owner_sets_roles_and_removes_organizers():
    owner, organizer, other = ProfileFactory(), ProfileFactory(), ProfileFactory()
    group = make_group(owner)
    for p in (organizer, other):
        services.group_join(user=p.user, slug=group.slug)
    services.group_role_set(
        user=owner.user,
        slug=group.slug,
        member_public_id=organizer.user.public_id,
        role="organizer",
    )
    services.group_role_set(
        user=owner.user, slug=group.slug, member_public_id=other.user.public_id, role="organizer"
    )
    assert membership(group, other).role == "organizer"
    assert (
        _code(
            services.group_role_set,
            user=organizer.user,
            slug=group.slug,
            member_public_id=other.user.public_id,
            role="member",
        )
        == "not_owner"
    )
    assert (
        _code(
            services.group_member_remove,
            user=organizer.user,
            slug=group.slug,
            member_public_id=other.user.public_id,
        )
        == "not_owner"
    )
    assert (
        _code(
            services.group_role_set,
            user=owner.user,
            slug=group.slug,
            member_public_id=other.user.public_id,
            role="owner",
        )
        == "invalid"
    )
    services.group_role_set(
        user=owner.user, slug=group.slug, member_public_id=other.user.public_id, role="member"
    )
    assert membership(group, other).role == "member"


def test_ownership_transfer_keeps_exactly_one_owner():
    owner, member, asker = ProfileFactory(), ProfileFactory(), ProfileFactory()
    group = make_group(owner, visibility="private")
    services.group_invite(user=owner.user, slug=group.slug, member_public_id=member.user.public_id)
    services.group_invite_accept(user=member.user, slug=group.slug)
    services.group_join(user=asker.user, slug=group.slug)
    assert (
        _code(
            services.group_ownership_transfer,
            user=owner.user,
            slug=group.slug,
            member_public_id=asker.user.public_id,
        )
        == "membership_not_found"
    )
    services.group_ownership_transfer(
        user=owner.user, slug=group.slug, member_public_id=member.user.public_id
    )
    roles = dict(
        Membership.objects.filter(group=group, state="active").values_list("user_id", "role")
    )
    assert roles == {owner.user_id: "organizer", member.user_id: "owner"}
    assert (
        _code(
            services.group_ownership_transfer,
            user=owner.user,
            slug=group.slug,
            member_public_id=member.user.public_id,
        )
        == "not_owner"
    )
    services.group_leave(user=owner.user, slug=group.slug)
    group.refresh_from_db()
    assert group.member_count == 1


def test_update_is_for_organizers_and_revalidates():
    owner, member = ProfileFactory(), ProfileFactory()
    group = make_group(owner)
    services.group_join(user=member.user, slug=group.slug)
    tea = InterestFactory(name="Tea")
    assert (
        _code(
            services.group_update,
            user=member.user,
            slug=group.slug,
            name="Tea club",
            interests=[tea],
        )
        == "not_organizer"
    )
    with pytest.raises(ApplicationError) as caught:
        services.group_update(user=owner.user, slug=group.slug, name="Tea club", interests=[])
    assert caught.value.field == "interests"
    updated = services.group_update(
        user=owner.user, slug=group.slug, name="Tea club", interests=[tea], description="*Hi*"
    )
    assert (updated.name, list(updated.interests.all())) == ("Tea club", [tea])
