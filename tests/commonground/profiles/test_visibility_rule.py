"""The detail rule (group_visible) and the list filter (q_group_visible) must agree."""

from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonground.core.visibility import Visibility
from commonground.profiles.directory import DirectoryFilter, member_search
from commonground.profiles.models import VISIBILITY_GROUPS, Profile
from commonground.profiles.selectors import Viewer, group_visible, member_get, q_group_visible
from tests.commonground.factories import (
    InterestFactory,
    ProfileFactory,
    UserFactory,
    connect,
    give_interests,
)

pytestmark = pytest.mark.django_db

levels = st.sampled_from(list(Visibility.values))
owner_specs = st.fixed_dictionaries(
    {
        "levels": st.fixed_dictionaries(dict.fromkeys(VISIBILITY_GROUPS, levels)),
        "onboarded": st.booleans(),
        "active": st.booleans(),
        "connected": st.booleans(),
    }
)
scenarios = st.fixed_dictionaries(
    {
        "owners": st.lists(owner_specs, min_size=1, max_size=5),
        # "anonymous", a stranger member, or one of the owners looking (index)
        "viewer": st.one_of(st.just("anonymous"), st.just("member"), st.integers(0, 4)),
    }
)


class _Rollback(Exception):
    pass


def _build(scenario):
    interest = InterestFactory(name="Shared thing")
    owners = []
    for spec in scenario["owners"]:
        profile = ProfileFactory(
            user=UserFactory(is_active=spec["active"]),
            onboarding_step=4 if spec["onboarded"] else 2,
            bio="Canary bio",
            **{f"{g}_visibility": level for g, level in spec["levels"].items()},
        )
        give_interests(profile, interest)
        owners.append(profile)
    who = scenario["viewer"]
    if who == "anonymous":
        viewer_profile = None
    elif who == "member":
        viewer_profile = ProfileFactory()
        give_interests(viewer_profile, interest)  # so that shared interests rank results
    else:
        viewer_profile = owners[who % len(owners)]
    if viewer_profile is not None:
        for spec, owner in zip(scenario["owners"], owners, strict=True):
            if spec["connected"] and owner.pk != viewer_profile.pk:
                connect(viewer_profile, owner)
    viewer = Viewer.for_user(viewer_profile.user if viewer_profile else None)
    return interest, owners, viewer_profile, viewer


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=scenarios)
def test_detail_rule_and_list_filter_agree(scenario):
    try:
        with transaction.atomic():
            # given
            _, owners, _, viewer = _build(scenario)
            ids = [o.pk for o in owners]

            for group in VISIBILITY_GROUPS:
                # when
                listed = set(
                    Profile.objects.filter(pk__in=ids)
                    .filter(q_group_visible(group=group, viewer=viewer))
                    .values_list("pk", flat=True)
                )
                detail = {
                    o.pk
                    for o in Profile.objects.filter(pk__in=ids)
                    if group_visible(profile=o, group=group, viewer=viewer)
                }

                # then
                assert listed == detail, group
            raise _Rollback
    except _Rollback:
        pass


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=scenarios)
def test_directory_and_member_page_agree_on_who_and_what(scenario):
    try:
        with transaction.atomic():
            # given
            interest, owners, viewer_profile, viewer = _build(scenario)
            others = [o for o in owners if viewer_profile is None or o.pk != viewer_profile.pk]
            findable = {
                o.user.public_id
                for o in others
                if o.user.is_active
                and o.is_onboarded
                and group_visible(profile=o, group="interests", viewer=viewer)
            }

            # when
            page = member_search(
                viewer=viewer,
                viewer_profile=viewer_profile,
                flt=DirectoryFilter(interest_ids=(interest.pk,)),
                size=100,
            )

            # then: found by the interest exactly when the page would show the interest
            assert {m.public_id for m in page.items} == findable
            assert page.total == len(findable)
            for item in page.items:
                detail = member_get(viewer=viewer, public_id=item.public_id)
                assert item == detail
                assert item.interests is not None

            # and unfiltered: everyone listed, ranked only by what the viewer may see
            everyone = member_search(
                viewer=viewer, viewer_profile=viewer_profile, flt=DirectoryFilter(), size=100
            )
            listed = {o.user.public_id for o in others if o.user.is_active and o.is_onboarded}
            assert sorted(m.public_id for m in everyone.items) == sorted(listed)
            assert everyone.total == len(listed)
            for item in everyone.items:
                assert item == member_get(viewer=viewer, public_id=item.public_id)
            scores = [m.score for m in everyone.items]
            assert scores == sorted(scores, reverse=True)
            raise _Rollback
    except _Rollback:
        pass
