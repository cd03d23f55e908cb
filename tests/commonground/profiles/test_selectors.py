from __future__ import annotations

import math

import pytest

from commonground.core.visibility import Visibility
from commonground.interests.services import member_interest_norms_refresh
from commonground.profiles.errors import MemberNotFound
from commonground.profiles.selectors import MemberView, Viewer, member_get
from tests.commonground.factories import (
    InterestFactory,
    NewMemberFactory,
    ProfileFactory,
    UserFactory,
    connect,
    give_interests,
)

pytestmark = pytest.mark.django_db

GROUP_VALUES = {
    "headline": {"headline": "Canary headline"},
    "bio": {"bio": "Canary bio"},
    "work": {
        "profession": "Canary profession",
        "industry": "Canary industry",
        "organization": "Canary org",
    },
    "location": {
        "city": "Canaryville",
        "region": "Canary region",
        "country": "CA",
        "reach": "national",
    },
    "open_to": {"open_to": ["mentoring"]},
}
RELATIONS = ("anonymous", "member", "connection", "owner")
SEES = {
    Visibility.EVERYONE: {"anonymous", "member", "connection", "owner"},
    Visibility.MEMBERS: {"member", "connection", "owner"},
    Visibility.CONNECTIONS: {"connection", "owner"},
    Visibility.ONLY_ME: {"owner"},
}


def _owner_with_every_group_at(level: str):
    profile = ProfileFactory(
        display_name="Owner",
        **{k: v for values in GROUP_VALUES.values() for k, v in values.items()},
        **{f"{group}_visibility": level for group in (*GROUP_VALUES, "interests")},
    )
    give_interests(profile, InterestFactory(name="Canary interest"))
    return profile


def _viewer(relation: str, owner) -> Viewer:
    if relation == "anonymous":
        return Viewer.for_user(None)
    if relation == "owner":
        return Viewer.for_user(owner.user)
    stranger = ProfileFactory()
    if relation == "connection":
        connect(stranger, owner)
    return Viewer.for_user(stranger.user)


@pytest.mark.parametrize("relation", RELATIONS)
@pytest.mark.parametrize("level", list(Visibility.values))
def test_member_get_shows_each_field_group_exactly_to_those_the_level_allows(level, relation):
    # given
    owner = _owner_with_every_group_at(level)
    viewer = _viewer(relation, owner)
    visible = relation in SEES[level]

    # when
    view = member_get(viewer=viewer, public_id=owner.user.public_id)

    # then
    assert view.display_name == "Owner"
    assert view.public_id == owner.user.public_id
    for values in GROUP_VALUES.values():
        for name, value in values.items():
            assert getattr(view, name) == (value if visible else None), name
    if visible:
        assert [(r.name, r.slug) for r in view.interests] == [
            ("Canary interest", "canary-interest")
        ]
    else:
        assert view.interests is None
        assert view.shared == []
    assert view.is_connection is (relation == "connection")
    assert view.is_self is (relation == "owner")


@pytest.mark.parametrize("relation", RELATIONS)
def test_each_group_follows_its_own_level(relation):
    # given: every group at a different level
    owner = ProfileFactory(
        headline="H",
        bio="B",
        city="C",
        open_to=["friends"],
        headline_visibility="everyone",
        bio_visibility="members",
        work_visibility="connections",
        location_visibility="only_me",
        open_to_visibility="members",
        interests_visibility="connections",
    )
    give_interests(owner, InterestFactory(name="Canary interest"))
    viewer = _viewer(relation, owner)

    # when
    view = member_get(viewer=viewer, public_id=owner.user.public_id)

    # then
    shown = {
        "headline": view.headline is not None,
        "bio": view.bio is not None,
        "work": view.profession is not None,
        "location": view.city is not None,
        "open_to": view.open_to is not None,
        "interests": view.interests is not None,
    }
    expected = {
        "anonymous": {"headline"},
        "member": {"headline", "bio", "open_to"},
        "connection": {"headline", "bio", "work", "open_to", "interests"},
        "owner": {"headline", "bio", "work", "location", "open_to", "interests"},
    }[relation]
    assert {group for group, on in shown.items() if on} == expected


def test_shared_interests_and_score_come_from_the_viewers_interests():
    # given
    niche, common, theirs = (
        InterestFactory(name="Niche"),
        InterestFactory(name="Common"),
        InterestFactory(name="Theirs"),
    )
    viewer, owner = ProfileFactory(), ProfileFactory()
    give_interests(viewer, niche, common)
    give_interests(owner, niche, common, theirs)
    for _ in range(3):
        give_interests(ProfileFactory(), common)
    member_interest_norms_refresh()  # as the refresh job does after edits

    # when
    view = member_get(viewer=Viewer.for_user(viewer.user), public_id=owner.user.public_id)

    # then: shown by rarity; scored by the engine's cosine. Of 5 members, idf is
    # log(6/3) for Niche, log(6/6) = 0 for Common (everybody), log(6/2) for Theirs.
    assert [r.name for r in view.shared] == ["Niche", "Common"]
    assert view.shared[0].weight > view.shared[1].weight > 0
    assert view.score == pytest.approx(math.log(2) / math.hypot(math.log(2), math.log(3)))
    assert sorted(r.name for r in view.interests) == ["Common", "Niche", "Theirs"]


def _error_of(viewer: Viewer, public_id: str) -> tuple[str, str, str | None, int]:
    with pytest.raises(MemberNotFound) as caught:
        member_get(viewer=viewer, public_id=public_id)
    e = caught.value
    return (e.code, e.message, e.field, e.status)


@pytest.mark.parametrize("relation", ["anonymous", "member", "connection"])
def test_not_onboarded_inactive_and_missing_members_look_the_same(relation):
    # given
    new_member = NewMemberFactory(display_name="Half done")
    inactive = ProfileFactory(user=UserFactory(is_active=False))
    viewer = _viewer(relation, new_member)

    # when
    errors = {
        _error_of(viewer, new_member.user.public_id),
        _error_of(viewer, inactive.user.public_id),
        _error_of(viewer, "no-such-member"),
    }

    # then
    assert errors == {("member_not_found", "No such member.", None, 404)}


def test_a_member_who_has_not_finished_onboarding_sees_their_own_profile():
    # given
    new_member = NewMemberFactory(display_name="Half done")

    # when
    view = member_get(viewer=Viewer.for_user(new_member.user), public_id=new_member.user.public_id)

    # then
    assert isinstance(view, MemberView)
    assert (view.display_name, view.is_self) == ("Half done", True)


def test_inactive_viewer_is_treated_as_anonymous():
    # given
    owner = ProfileFactory(bio="Members only")
    inactive = UserFactory(is_active=False)

    # when
    view = member_get(viewer=Viewer.for_user(inactive), public_id=owner.user.public_id)

    # then
    assert view.bio is None
