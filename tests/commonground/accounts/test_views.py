from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from commonground.accounts.models import ApiToken, User
from commonground.accounts.selectors import user_for_api_key
from commonground.accounts.services import api_token_create
from commonground.profiles.models import Profile
from tests.commonground.factories import ProfileFactory
from tests.commonground.html import page_text, shows

pytestmark = pytest.mark.django_db


def test_creating_a_token_shows_the_key_once(client):
    # given
    member = ProfileFactory()
    client.force_login(member.user)

    # when
    created = client.post("/me/tokens/", {"name": "calendar script"})
    later = client.get("/me/tokens/")

    # then
    assert created.status_code == 200
    key = created.context["issued"].key
    assert key in page_text(created)
    assert user_for_api_key(key) == member.user
    assert key not in page_text(later)
    assert "calendar script" in page_text(later)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "This field is required."),
        ("x" * 81, "Ensure this value has at most 80 characters (it has 81)."),
        ("a\x07b", "Control characters are not allowed."),
    ],
)
def test_a_bad_token_name_rerenders_with_the_error_and_creates_nothing(client, name, message):
    # given
    client.force_login(ProfileFactory().user)

    # when
    response = client.post("/me/tokens/", {"name": name})

    # then
    assert response.status_code == 200
    assert shows(response, message)
    assert ApiToken.objects.count() == 0


def test_revoking_a_token_from_the_page(client):
    # given
    member = ProfileFactory()
    issued = api_token_create(user=member.user, name="t")
    client.force_login(member.user)

    # when
    response = client.post(f"/me/tokens/{issued.token.pk}/revoke/", follow=True)

    # then
    assert response.redirect_chain == [("/me/tokens/", 302)]
    assert shows(response, "Token revoked.")
    assert user_for_api_key(issued.key) is None


def test_a_member_cannot_revoke_another_members_token_from_the_page(client):
    # given
    owner = ProfileFactory()
    issued = api_token_create(user=owner.user, name="t")
    client.force_login(ProfileFactory().user)

    # when
    response = client.post(f"/me/tokens/{issued.token.pk}/revoke/", follow=True)

    # then
    assert shows(response, "No such token.")
    assert user_for_api_key(issued.key) == owner.user


def test_sign_up_sends_a_verification_email_and_creates_a_profile(client):
    # when
    response = client.post(
        "/accounts/signup/",
        {
            "email": "New.Person@Example.org",
            "password1": "a long unusual passphrase",
            "password2": "a long unusual passphrase",
        },
    )

    # then
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    user = User.objects.get(email="new.person@example.org")
    profile = Profile.objects.get(user=user)
    assert (profile.onboarding_step, profile.display_name) == (1, "")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new.person@example.org"]
    assert mail.outbox[0].subject.startswith("[Common Ground] ")
    assert EmailAddress.objects.get(user=user).verified is False


def test_verifying_the_email_logs_in_and_starts_onboarding(client):
    # given
    client.post(
        "/accounts/signup/",
        {
            "email": "sam@example.org",
            "password1": "a long unusual passphrase",
            "password2": "a long unusual passphrase",
        },
    )
    link = re.search(
        r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", mail.outbox[0].body
    ).group(1)

    # when
    confirm = client.post(link, follow=True)

    # then
    assert EmailAddress.objects.get(email="sam@example.org").verified is True
    assert confirm.redirect_chain[-1] == ("/welcome/", 302)
    assert confirm.templates[0].name == "profiles/onboarding_about.html"


def test_an_unverified_member_cannot_log_in(client):
    # given
    client.post(
        "/accounts/signup/",
        {
            "email": "sam@example.org",
            "password1": "a long unusual passphrase",
            "password2": "a long unusual passphrase",
        },
    )
    client.logout()

    # when
    response = client.post(
        "/accounts/login/", {"login": "sam@example.org", "password": "a long unusual passphrase"}
    )

    # then
    assert (response.status_code, response["Location"]) == (302, "/accounts/confirm-email/")
    assert client.get("/home/")["Location"] == "/accounts/login/?next=/home/"
