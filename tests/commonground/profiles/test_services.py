from __future__ import annotations

import pytest
from django.forms.models import model_to_dict

from commonground.core.errors import ValidationFailed
from commonground.profiles.errors import OnboardingIncomplete
from commonground.profiles.models import Profile
from commonground.profiles.services import (
    onboarding_complete_step,
    profile_set_visibility,
    profile_update,
)
from tests.commonground.factories import (
    InterestFactory,
    NewMemberFactory,
    ProfileFactory,
    give_interests,
)

pytestmark = pytest.mark.django_db


def _stored(profile: Profile) -> dict[str, object]:
    return model_to_dict(Profile.objects.get(pk=profile.pk))


def test_profile_update_saves_fields_and_lowercased_keys():
    # given
    profile = ProfileFactory()

    # when
    updated = profile_update(
        user=profile.user,
        display_name="  Ada  ",
        city="Arlington",
        region="Virginia",
        country="US",
        profession="Policy Analyst",
        reach="virtual",
        time_zone="America/New_York",
        open_to=["mentoring", "friends", "mentoring"],
    )

    # then
    stored = Profile.objects.get(pk=profile.pk)
    assert updated.display_name == "Ada"
    assert (stored.display_name, stored.city, stored.region, stored.country) == (
        "Ada",
        "Arlington",
        "Virginia",
        "US",
    )
    assert (stored.city_key, stored.region_key, stored.country_key) == (
        "arlington",
        "virginia",
        "us",
    )
    assert stored.profession_key == "policy analyst"
    assert stored.reach == "virtual"
    assert stored.time_zone == "America/New_York"
    # Stored in the order of the choices, without duplicates.
    assert stored.open_to == ["friends", "mentoring"]


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"display_name": "x" * 81}, "display_name", "Use at most 80 characters (you used 81)."),
        ({"headline": "h" * 141}, "headline", "Use at most 140 characters (you used 141)."),
        ({"bio": "b" * 2001}, "bio", "Use at most 2000 characters (you used 2001)."),
        ({"organization": "o" * 121}, "organization", "Use at most 120 characters (you used 121)."),
        ({"display_name": "   "}, "display_name", "This field is required."),
        ({"headline": "nul\x00byte"}, "headline", "Control characters are not allowed."),
        ({"bio": "bell\x07"}, "bio", "Control characters are not allowed."),
        ({"city": "esc\x1b[31m"}, "city", "Control characters are not allowed."),
        ({"reach": "galactic"}, "reach", "“galactic” is not a reach we know."),
        ({"time_zone": "Mars/Olympus"}, "time_zone", "“Mars/Olympus” is not a time zone."),
        (
            {"open_to": ["friends", "world_domination"]},
            "open_to",
            "“world_domination” is not an option.",
        ),
        ({"open_to": "friends"}, "open_to", "Choose from the listed options."),
        ({"onboarding_step": 4}, "onboarding_step", "“onboarding_step” cannot be changed here."),
    ],
)
def test_profile_update_rejects_bad_values_and_changes_nothing(values, field, message):
    # given
    profile = ProfileFactory(headline="Before", bio="Old bio")
    before = _stored(profile)

    # when
    with pytest.raises(ValidationFailed) as caught:
        profile_update(user=profile.user, **{"headline": "Changed", "reach": "local", **values})

    # then
    assert caught.value.field == field
    assert caught.value.message == message
    assert caught.value.code == "invalid"
    assert _stored(profile) == before


def test_profile_update_keeps_newlines_and_tabs_in_bio():
    # given
    profile = ProfileFactory()

    # when
    profile_update(user=profile.user, bio="Line one\n\tLine two\r\nEnd")

    # then
    assert Profile.objects.get(pk=profile.pk).bio == "Line one\n\tLine two\r\nEnd"


def test_profile_set_visibility_changes_only_the_named_groups():
    # given
    profile = ProfileFactory()

    # when
    profile_set_visibility(user=profile.user, bio="only_me", interests="connections")

    # then
    stored = Profile.objects.get(pk=profile.pk)
    assert {
        g: stored.visibility_of(g)
        for g in ("headline", "bio", "work", "location", "open_to", "interests")
    } == {
        "headline": "everyone",
        "bio": "only_me",
        "work": "members",
        "location": "members",
        "open_to": "members",
        "interests": "connections",
    }


@pytest.mark.parametrize(
    ("levels", "field", "message"),
    [
        (
            {"bio": "only_me", "headline": "friends_of_friends"},
            "headline",
            "“friends_of_friends” is not a visibility level.",
        ),
        (
            {"bio": "only_me", "password": "everyone"},
            "password",
            "“password” is not a profile section.",
        ),
    ],
)
def test_profile_set_visibility_rejects_bad_input_and_changes_nothing(levels, field, message):
    # given
    profile = ProfileFactory()
    before = _stored(profile)

    # when
    with pytest.raises(ValidationFailed) as caught:
        profile_set_visibility(user=profile.user, **levels)

    # then
    assert (caught.value.field, caught.value.message) == (field, message)
    assert _stored(profile) == before


def test_onboarding_step_one_needs_a_display_name():
    # given
    profile = NewMemberFactory()

    # when
    with pytest.raises(OnboardingIncomplete) as caught:
        onboarding_complete_step(user=profile.user, step=1)

    # then
    assert caught.value.field == "display_name"
    assert caught.value.code == "onboarding_incomplete"
    assert Profile.objects.get(pk=profile.pk).onboarding_step == 1


def test_onboarding_step_one_moves_to_step_two():
    # given
    profile = NewMemberFactory(display_name="Grace")

    # when
    result = onboarding_complete_step(user=profile.user, step=1)

    # then
    assert result.onboarding_step == 2
    assert Profile.objects.get(pk=profile.pk).onboarding_step == 2


def test_onboarding_step_two_needs_three_interests():
    # given
    profile = NewMemberFactory(display_name="Grace", onboarding_step=2)
    give_interests(profile, InterestFactory(), InterestFactory())

    # when
    with pytest.raises(OnboardingIncomplete) as caught:
        onboarding_complete_step(user=profile.user, step=2)

    # then
    assert caught.value.field == "interest"
    assert caught.value.message == "Add at least 3 interests (2 so far)."
    assert Profile.objects.get(pk=profile.pk).onboarding_step == 2


def test_onboarding_step_two_with_three_interests_then_step_three_finishes():
    # given
    profile = NewMemberFactory(display_name="Grace", onboarding_step=2)
    give_interests(profile, InterestFactory(), InterestFactory(), InterestFactory())

    # when
    after_two = onboarding_complete_step(user=profile.user, step=2).onboarding_step
    after_three = onboarding_complete_step(user=profile.user, step=3)

    # then
    assert after_two == 3
    assert after_three.onboarding_step == Profile.OnboardingStep.DONE
    assert after_three.is_onboarded is True
    assert Profile.objects.get(pk=profile.pk).is_onboarded is True


def test_onboarding_step_never_moves_backwards():
    # given
    profile = ProfileFactory()  # already done

    # when
    result = onboarding_complete_step(user=profile.user, step=1)

    # then
    assert result.onboarding_step == Profile.OnboardingStep.DONE
    assert Profile.objects.get(pk=profile.pk).onboarding_step == Profile.OnboardingStep.DONE
