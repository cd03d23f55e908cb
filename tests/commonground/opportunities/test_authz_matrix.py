"""The authorization matrix: roles × audiences × states × channels.

One world is built once for the module (inside a transaction rolled back at the end). Every
opportunity carries a unique canary token in its title and description; for each case, the
response the role receives on the channel must contain the token exactly when an independent
oracle (below, not the selector) says the role may see the opportunity there, and a hidden
one must answer exactly like a missing one.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import Permission
from django.db import transaction
from django.test import Client

from commonground.events.services import calendar_feed_get_or_create
from commonground.groups import services as group_services
from commonground.groups.discussions import services as discussions
from commonground.network.services import member_block
from commonground.notifications import services as notification_services
from commonground.opportunities import services
from commonground.opportunities.models import Opportunity
from tests.commonground.factories import InterestFactory, ProfileFactory, connect, give_interests
from tests.commonground.html import without_csrf
from tests.commonground.opportunities.helpers import expire, in_days

pytestmark = [pytest.mark.authz_matrix, pytest.mark.django_db]

ROLES = [
    "anonymous",
    "member",
    "connection",
    "second_degree",
    "group_member",
    "former_group_member",
    "blocked",
    "named_invitee",
    "poster",
    "staff",
    "referred_candidate",
]
AUDIENCES = ["everyone", "connections", "second_degree", "groups", "named"]
STATES = ["open", "expired"]
CHANNELS = [
    "detail_page",
    "list_page",
    "search",
    "for_you",
    "api_list",
    "api_detail",
    "referral",
    "notifications",
    "notification_text",
    "export",
    "admin_changelist",
    "group_and_interest_pages",
]
MISSING_ID = "nosuchopp123"


def oracle_sees(role: str, audience: str) -> bool:
    """Who may see an opportunity, written from the product's rules, not from the code."""
    if role == "anonymous" or role == "blocked":
        return False
    if role == "poster":
        return True
    if role == "referred_candidate" and audience == "named":
        return True  # the named invitee referred them: the referral shares it
    return {
        "everyone": True,
        "connections": role == "connection",
        "second_degree": role in ("connection", "second_degree"),
        "groups": role == "group_member",
        "named": role == "named_invitee",
    }[audience]


def oracle_in_export(role: str, audience: str) -> bool:
    """A member's export holds what they posted and the referrals they are part of."""
    return role == "poster" or (
        audience == "named" and role in ("named_invitee", "referred_candidate")
    )


@dataclass
class World:
    clients: dict[str, Client]
    leaves: dict[str, str]
    opportunities: dict[tuple[str, str], Opportunity]
    tokens: dict[tuple[str, str], str]
    group_slug: str
    interest_slug: str
    feeds: dict[str, str]
    sent: list[dict[str, Any]]
    cache: dict[tuple[str, str], Any] = field(default_factory=dict)

    def get(self, role: str, url: str) -> Any:
        key = (role, url)
        if key not in self.cache:
            self.cache[key] = self.clients[role].get(url)
        return self.cache[key]


def _build(sent: list[dict[str, Any]]) -> World:
    skill = InterestFactory(name="Matrix canary skill")
    people = {role: ProfileFactory() for role in ROLES if role != "anonymous"}
    for profile in people.values():
        give_interests(profile, skill, kind="skill")
    poster = people["poster"]
    staff = people["staff"].user
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    staff.user_permissions.add(Permission.objects.get(codename="view_opportunity"))
    connect(poster, people["connection"])
    connect(people["connection"], people["second_degree"])
    connect(people["connection"], people["blocked"])
    connect(poster, people["blocked"])
    connect(people["named_invitee"], people["referred_candidate"])
    group = group_services.group_create(user=poster.user, name="Matrix guild", interests=[skill])
    for role in ("group_member", "former_group_member", "blocked"):
        group_services.group_join(user=people[role].user, slug=group.slug)
    group_services.group_leave(user=people["former_group_member"].user, slug=group.slug)
    leaves = {}
    for role, profile in people.items():
        leaf = ProfileFactory()
        connect(profile, leaf)
        leaves[role] = leaf.user.public_id
    opportunities, tokens = {}, {}
    for audience in AUDIENCES:
        for state in STATES:
            token = f"canary{uuid.uuid4().hex}"
            opportunities[(audience, state)] = services.opportunity_create(
                user=poster.user,
                kind="job",
                title=f"Role {token}",
                description=f"Secret details {token}",
                organization="Matrix Inc",
                skills=[skill],
                remote=True,
                expires_at=in_days(30),
                audience=audience,
                audience_groups=[group.slug] if audience == "groups" else [],
                audience_members=(
                    [people["named_invitee"].user.public_id, people["blocked"].user.public_id]
                    if audience == "named"
                    else []
                ),
            )
            tokens[(audience, state)] = token
    discussions.post_create(
        user=poster.user, slug=group.slug, body="Who is hiring? #matrixjobs #careers"
    )
    feeds = {
        role: f"/events/feed/{calendar_feed_get_or_create(user=profile.user).token}.ics"
        for role, profile in people.items()
    }
    member_block(user=poster.user, member_public_id=people["blocked"].user.public_id)
    for state in STATES:
        services.referral_create(
            user=people["named_invitee"].user,
            opportunity_public_id=opportunities[("named", state)].public_id,
            candidate_public_id=people["referred_candidate"].user.public_id,
        )
    for audience in AUDIENCES:
        services.opportunity_match_notify(opportunity_id=opportunities[(audience, "open")].pk)
        expire(opportunities[(audience, "expired")])
        services.opportunity_match_notify(opportunity_id=opportunities[(audience, "expired")].pk)
    clients = {"anonymous": Client()}
    for role, profile in people.items():
        clients[role] = Client()
        clients[role].force_login(profile.user)
    return World(
        clients=clients,
        leaves=leaves,
        opportunities=opportunities,
        tokens=tokens,
        group_slug=group.slug,
        interest_slug=skill.slug,
        feeds=feeds,
        sent=[{**s, "role": _role_of(s["recipient"], people)} for s in sent],
    )


def _role_of(user_id: int, people: dict[str, Any]) -> str:
    return next((role for role, p in people.items() if p.user_id == user_id), "other")


@pytest.fixture(scope="module")
def world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    sent: list[dict[str, Any]] = []
    real_notify = notification_services.notify

    def recording_notify(**kwargs: Any) -> None:
        sent.append({**kwargs, "recipient": kwargs["recipient"].pk})
        real_notify(**kwargs)

    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(notification_services, "notify", recording_notify)
        with transaction.atomic():
            built = _build(sent)
            yield built
            transaction.set_rollback(True)


CASES = [
    (role, audience, state, channel)
    for role in ROLES
    for audience in AUDIENCES
    for state in STATES
    for channel in CHANNELS
]


def _body(response: Any) -> str:
    return response.content.decode()


def _referral_attempt(world: World, role: str, opportunity_id: str) -> Any:
    body = {"opportunity": opportunity_id, "candidate": world.leaves.get(role, "nobody12")}
    with transaction.atomic():
        response = world.clients[role].post(
            "/api/v1/referrals", json.dumps(body), content_type="application/json"
        )
        transaction.set_rollback(True)
    return response


@pytest.mark.parametrize(("role", "audience", "state", "channel"), CASES)
def test_authz_matrix(world: World, role: str, audience: str, state: str, channel: str) -> None:
    # given
    opportunity = world.opportunities[(audience, state)]
    token = world.tokens[(audience, state)]
    sees = oracle_sees(role, audience)
    listed = sees and state == "open"
    anonymous = role == "anonymous"
    pid = opportunity.public_id
    # when / then
    if channel == "detail_page":
        response = world.get(role, f"/opportunities/{pid}/")
        if anonymous:
            assert response.status_code == 302
            assert token not in _body(response)
        elif sees:
            assert response.status_code == 200
            assert token in _body(response)
            assert ("Closed" in _body(response)) == (state == "expired")
        else:
            missing = world.get(role, f"/opportunities/{MISSING_ID}/")
            assert response.status_code == missing.status_code == 404
            assert without_csrf(response) == without_csrf(missing)
    elif channel == "list_page":
        assert (token in _body(world.get(role, "/opportunities/?tab=all"))) == listed
    elif channel == "search":
        response = world.get(role, f"/opportunities/?tab=all&q={token}")
        assert (
            token in _body(response).replace(f"q={token}", "").replace(f'value="{token}"', "")
        ) == listed
    elif channel == "for_you":
        assert (token in _body(world.get(role, "/opportunities/"))) == (listed and role != "poster")
    elif channel == "api_list":
        response = world.get(role, "/api/v1/opportunities?page_size=100")
        assert response.status_code == (401 if anonymous else 200)
        assert (token in _body(response)) == listed
    elif channel == "api_detail":
        response = world.get(role, f"/api/v1/opportunities/{pid}")
        if anonymous:
            assert response.status_code == 401
        elif sees:
            assert response.status_code == 200
            assert token in _body(response)
            assert response.json()["status"] == ("open" if state == "open" else "closed")
        else:
            missing = world.get(role, f"/api/v1/opportunities/{MISSING_ID}")
            assert response.status_code == 404
            assert response.content == missing.content
    elif channel == "referral":
        response = _referral_attempt(world, role, pid)
        if anonymous:
            assert response.status_code == 401
        elif sees:
            assert response.status_code == (201 if state == "open" else 409), _body(response)
        else:
            missing = _referral_attempt(world, role, MISSING_ID)
            assert response.status_code == 404
            assert response.content == missing.content
        assert token not in _body(response) or sees
        page = world.get(role, "/referrals/")
        in_page = audience == "named" and role in ("named_invitee", "referred_candidate")
        assert (token in _body(page)) == in_page
    elif channel == "notifications":
        told = {
            s["url"] for s in world.sent if s["role"] == role and s["kind"] == "opportunities.match"
        }
        # Matches go to the audience the poster chose; a referred candidate hears of it
        # through the referral instead.
        via_referral = role == "referred_candidate" and audience == "named"
        expected = sees and state == "open" and role != "poster" and not via_referral
        assert (f"/opportunities/{pid}/" in told) == expected
    elif channel == "notification_text":
        texts = " ".join(f"{s['text']} {s['url']}" for s in world.sent if s["role"] == role)
        if not sees:
            assert token not in texts
            assert pid not in texts
        elif state == "open" and role not in ("poster", "anonymous"):
            assert token in texts
    elif channel == "export":
        response = world.get(role, "/opportunities/export/")
        assert response.status_code == (302 if anonymous else 200)
        assert (token in _body(response)) == oracle_in_export(role, audience)
    elif channel == "admin_changelist":
        response = world.get(role, "/admin/opportunities/opportunity/")
        assert response.status_code == (200 if role == "staff" else 302)
        assert (token in _body(response)) == (role == "staff")
    elif channel == "group_and_interest_pages":
        pages = [
            f"/groups/{world.group_slug}/",
            f"/interests/{world.interest_slug}/",
            "/groups/",
            "/tags/matrixjobs/",
            "/events/",
            "/api/v1/tags/matrixjobs/posts",
        ]
        if role in world.feeds:
            pages.append(world.feeds[role])  # the private calendar feed
        for url in pages:
            response = world.get(role, url)
            # Each page really answers (an error page would prove nothing).
            assert response.status_code in ((200, 302, 401) if anonymous else (200,)), url
            body = _body(response)
            assert token not in body
            assert pid not in body
        # The home page's "Opportunities for you" shows the best few open ones the member
        # may see: never one outside the audience, nor a closed one.
        home = _body(world.get(role, "/home/"))
        if not sees or state != "open" or role == "poster":
            assert token not in home
            assert pid not in home


def test_the_matrix_has_at_least_1000_cases() -> None:
    assert len(CASES) == len(ROLES) * len(AUDIENCES) * len(STATES) * len(CHANNELS) == 1320
