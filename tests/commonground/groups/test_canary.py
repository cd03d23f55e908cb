"""A secret group leaks nowhere: a canary token in its name and description is searched
for in every page and API response an outsider can get."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.groups import services
from tests.commonground.factories import (
    PASSWORD,
    InterestFactory,
    ProfileFactory,
    give_interests,
)
from tests.commonground.groups.helpers import make_group
from tests.commonground.html import without_csrf

pytestmark = pytest.mark.django_db

CANARY = "zq7canary3xk"


def _client_for(profile) -> Client:
    client = Client()
    if profile is not None:
        assert client.login(email=profile.user.email, password=PASSWORD)
    return client


def _secret_world():
    kittens, bacon = InterestFactory(name="Kittens"), InterestFactory(name="Bacon")
    owner = ProfileFactory()
    give_interests(owner, kittens, bacon)
    secret = make_group(
        owner,
        kittens,
        bacon,
        name=f"Secret {CANARY}",
        description=f"The {CANARY} hideout",
        visibility="secret",
    )
    # An ex-member: invited, joined, then left.
    former = ProfileFactory()
    give_interests(former, kittens, bacon)
    services.group_invite(user=owner.user, slug=secret.slug, member_public_id=former.user.public_id)
    services.group_join(user=former.user, slug=secret.slug)
    services.group_leave(user=former.user, slug=secret.slug)
    # A requester of another, private group with the same interests.
    private = make_group(owner, kittens, bacon, name="Open kittens", visibility="private")
    requester = ProfileFactory()
    give_interests(requester, kittens, bacon)
    services.group_join(user=requester.user, slug=private.slug)
    member = ProfileFactory()
    give_interests(member, kittens, bacon)
    outsiders = {"anonymous": None, "member": member, "ex-member": former, "requester": requester}
    return secret, (kittens, bacon), outsiders


@pytest.mark.parametrize("who", ["anonymous", "member", "ex-member", "requester"])
def test_a_secret_groups_canary_appears_in_nothing_an_outsider_receives(who):
    # given
    secret, (kittens, bacon), outsiders = _secret_world()
    client = _client_for(outsiders[who])
    urls = [
        "/groups/",
        f"/groups/?i={kittens.slug}&i={bacon.slug}",
        f"/groups/?i={kittens.slug}",
        "/api/v1/groups",
        f"/api/v1/groups?interests={kittens.slug},{bacon.slug}",
        f"/groups/{secret.slug}/",
        f"/groups/{secret.slug}/manage/",
        f"/api/v1/groups/{secret.slug}",
        f"/api/v1/groups/{secret.slug}/members",
        f"/interests/{kittens.slug}/",
        "/home/",
        "/",
    ]
    # when
    responses = {url: client.get(url, follow=True) for url in urls}
    # then
    for url, response in responses.items():
        assert CANARY not in response.content.decode(), url
        if secret.slug not in url:  # a login redirect echoes the URL asked for, nothing more
            assert secret.slug not in response.content.decode(), url


@pytest.mark.parametrize("who", ["member", "ex-member", "requester"])
def test_a_secret_group_answers_exactly_like_a_missing_one(who):
    secret, _, outsiders = _secret_world()
    client = _client_for(outsiders[who])
    for hidden, missing in [
        (f"/groups/{secret.slug}/", "/groups/nosuchgroup1/"),
        (f"/api/v1/groups/{secret.slug}", "/api/v1/groups/nosuchgroup1"),
        (f"/api/v1/groups/{secret.slug}/members", "/api/v1/groups/nosuchgroup1/members"),
    ]:
        a, b = client.get(hidden), client.get(missing)
        assert a.status_code == b.status_code == 404
        assert without_csrf(a) == without_csrf(b)
    for action in ("join", "leave", "accept", "decline"):
        a = client.post(f"/groups/{secret.slug}/{action}/")
        b = client.post(f"/groups/nosuchgroup1/{action}/")
        assert a.status_code == b.status_code == 404
    a = client.post(f"/api/v1/groups/{secret.slug}/join", content_type="application/json")
    b = client.post("/api/v1/groups/nosuchgroup1/join", content_type="application/json")
    assert a.status_code == b.status_code
    assert a.content == b.content


def test_the_canary_is_visible_to_the_invited_and_members():
    secret, _, outsiders = _secret_world()
    member = outsiders["member"]
    services.group_invite(
        user=secret.memberships.get(role="owner").user,
        slug=secret.slug,
        member_public_id=member.user.public_id,
    )
    client = _client_for(member)
    assert CANARY in client.get(f"/groups/{secret.slug}/").content.decode()
    assert CANARY in client.get("/api/v1/groups").content.decode()
