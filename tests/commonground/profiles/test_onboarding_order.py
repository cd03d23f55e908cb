from __future__ import annotations

import pytest

from commonground.accounts.models import User
from commonground.profiles.errors import OnboardingIncomplete
from commonground.profiles.models import Profile
from commonground.profiles.services import onboarding_complete_step, profile_ensure

pytestmark = pytest.mark.django_db


def test_a_later_onboarding_step_cannot_be_completed_before_the_earlier_ones():
    # given: a new member on step 1, with no interests
    user = User.objects.create_user(email="early@example.org", password="x" * 12)
    profile_ensure(user=user)

    # when
    with pytest.raises(OnboardingIncomplete) as caught:
        onboarding_complete_step(user=user, step=Profile.OnboardingStep.OPEN_TO)

    # then
    assert caught.value.field == "step"
    assert Profile.objects.get(user=user).onboarding_step == Profile.OnboardingStep.ABOUT


def test_an_operator_account_without_a_profile_starts_onboarding_instead_of_a_500(client):
    # given: an account made by createsuperuser, which makes no profile
    admin = User.objects.create_superuser(email="ops@example.org", password="x" * 12)
    client.force_login(admin)

    # when
    home = client.get("/home/")
    api = client.get("/api/v1/me")

    # then
    assert home.status_code == 302
    assert home["Location"] == "/welcome/"
    assert api.status_code == 200
    assert api.json()["onboarded"] is False
    assert Profile.objects.filter(user=admin).count() == 1
