"""Posting, status changes, the expiry sweep (service, task, CLI) and match notifications."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from commonground.core.errors import ValidationFailed
from commonground.groups import services as group_services
from commonground.network.services import member_block
from commonground.opportunities import services
from commonground.opportunities.errors import BadTransition, NotPoster, OpportunityInvalid
from commonground.opportunities.models import MatchNotice, Opportunity
from commonground.opportunities.selectors import opportunity_get
from commonground.opportunities.tasks import close_expired_opportunities
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import InterestFactory, ProfileFactory, connect, give_interests
from tests.commonground.opportunities.helpers import expire, in_days, post

pytestmark = pytest.mark.django_db


def test_posting_stores_every_field_and_place_keys():
    # given
    poster = ProfileFactory()
    python, hiking = InterestFactory(name="Python"), InterestFactory(name="Hiking")
    # when
    opportunity = post(
        poster,
        kind="freelance",
        title="  Build a dashboard ",
        organization="Acme",
        description="**Fast** work",
        skills=[python, python],
        interests=[hiking],
        remote=False,
        city="Lyon",
        region="Auvergne-Rhône-Alpes",
        country="France",
        compensation="€500/day",
        audience="connections",
    )
    # then
    row = Opportunity.objects.get(pk=opportunity.pk)
    assert (row.kind, row.title, row.organization, row.status) == (
        "freelance",
        "Build a dashboard",
        "Acme",
        "open",
    )
    assert (row.city_key, row.region_key, row.country_key) == (
        "lyon",
        "auvergne-rhône-alpes",
        "france",
    )
    assert list(row.skills.all()) == [python]
    assert list(row.interests.all()) == [hiking]
    assert len(row.public_id) >= 10


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": ""}, "title"),
        ({"title": "x" * 141}, "title"),
        ({"title": "nul\x00byte"}, "title"),
        ({"organization": "o" * 121}, "organization"),
        ({"description": "d" * 10_001}, "description"),
        ({"compensation": "c" * 121}, "compensation"),
        ({"kind": "internship"}, "kind"),
        ({"audience": "friends"}, "audience"),
        ({"expires_at": None}, "expires_at"),
        ({"expires_at": "past"}, "expires_at"),
        ({"expires_at": "far"}, "expires_at"),
        ({"expires_at": "naive"}, "expires_at"),
        ({"remote": False, "country": ""}, "country"),
        ({"audience": "groups", "audience_groups": []}, "audience_groups"),
        ({"audience": "groups", "audience_groups": ["nosuchgroup"]}, "audience_groups"),
        ({"audience": "named", "audience_members": []}, "audience_members"),
        ({"audience": "named", "audience_members": ["nosuchmember"]}, "audience_members"),
    ],
)
def test_bad_input_is_refused_with_its_field_and_writes_nothing(fields, field):
    # given
    poster = ProfileFactory()
    now = timezone.now()
    special = {
        "past": now - timedelta(minutes=1),
        "far": now + timedelta(days=400),
        "naive": (now + timedelta(days=3)).replace(tzinfo=None),
    }
    fields = {k: special.get(v, v) if isinstance(v, str) else v for k, v in fields.items()}
    # when
    with pytest.raises(ValidationFailed) as caught:
        post(poster, **fields)
    # then
    assert caught.value.field == field
    assert Opportunity.objects.count() == 0


def test_groups_audience_needs_the_poster_to_be_an_active_member_of_each_group():
    # given
    poster, owner = ProfileFactory(), ProfileFactory()
    group = group_services.group_create(
        user=owner.user, name="Guild", interests=[InterestFactory()]
    )
    # when
    with pytest.raises(OpportunityInvalid) as caught:
        post(poster, audience="groups", audience_groups=[group.slug])
    group_services.group_join(user=poster.user, slug=group.slug)
    opportunity = post(poster, audience="groups", audience_groups=[group.slug])
    # then
    assert caught.value.field == "audience_groups"
    assert list(opportunity.audience_groups.all()) == [group]


def test_a_blocked_member_cannot_be_named_either_way():
    # given
    poster, blocker, blocked = ProfileFactory(), ProfileFactory(), ProfileFactory()
    member_block(user=blocker.user, member_public_id=poster.user.public_id)
    member_block(user=poster.user, member_public_id=blocked.user.public_id)
    # then
    for other in (blocker, blocked):
        with pytest.raises(OpportunityInvalid):
            post(poster, audience="named", audience_members=[other.user.public_id])
    assert Opportunity.objects.count() == 0


def test_only_the_poster_changes_the_status_and_an_expired_one_cannot_reopen():
    # given
    poster, other = ProfileFactory(), ProfileFactory()
    opportunity = post(poster)
    # when / then
    with pytest.raises(NotPoster):
        services.opportunity_status_set(
            user=other.user, public_id=opportunity.public_id, status="closed"
        )
    assert (
        services.opportunity_status_set(
            user=poster.user, public_id=opportunity.public_id, status="filled"
        ).status
        == "filled"
    )
    assert (
        services.opportunity_status_set(
            user=poster.user, public_id=opportunity.public_id, status="open"
        ).status
        == "open"
    )
    expire(opportunity)
    with pytest.raises(BadTransition):
        services.opportunity_status_set(
            user=poster.user, public_id=opportunity.public_id, status="open"
        )
    with pytest.raises(OpportunityInvalid):
        services.opportunity_status_set(
            user=poster.user, public_id=opportunity.public_id, status="gone"
        )


def test_an_expired_opportunity_reads_as_closed_before_and_after_the_sweep():
    # given
    poster = ProfileFactory()
    opportunity = post(poster)
    expire(opportunity)
    viewer = Viewer.for_user(poster.user)
    # then: closed already, with the status column still 'open'
    assert Opportunity.objects.get(pk=opportunity.pk).status == "open"
    assert opportunity_get(viewer=viewer, public_id=opportunity.public_id).is_open is False
    # when
    closed = services.opportunity_close_expired()
    # then
    assert closed == 1
    assert Opportunity.objects.get(pk=opportunity.pk).status == "closed"
    assert services.opportunity_close_expired() == 0


def test_the_sweep_task_and_the_cli_close_only_expired_ones_once():
    # given
    poster = ProfileFactory()
    expired, expired_too, fresh = post(poster), post(poster), post(poster)
    expire(expired)
    expire(expired_too)
    # when
    first = close_expired_opportunities.call()
    out = StringIO()
    call_command("opportunities_close_expired", stdout=out)
    # then
    assert first == 2
    assert out.getvalue().strip() == "Closed 0 expired opportunities."
    assert Opportunity.objects.get(pk=fresh.pk).status == "open"
    assert set(Opportunity.objects.filter(status="closed").values_list("pk", flat=True)) == {
        expired.pk,
        expired_too.pk,
    }


def test_match_notifications_reach_fitting_audience_members_once(sent):
    # given: a connections-only gig; a fitting connection, a fitting stranger, an unfit one
    python = InterestFactory(name="Python")
    poster, friend, stranger, unfit = (ProfileFactory() for _ in range(4))
    connect(poster, friend)
    connect(poster, unfit)
    give_interests(friend, python, kind="skill")
    give_interests(stranger, python, kind="skill")
    opportunity = post(poster, audience="connections", skills=[python], title="Gig")
    # when: the background job runs twice
    first = services.opportunity_match_notify(opportunity_id=opportunity.pk)
    second = services.opportunity_match_notify(opportunity_id=opportunity.pk)
    # then
    assert (first, second) == (1, 0)
    assert [(s["recipient"], s["kind"], s["text"]) for s in sent] == [
        (friend.user_id, "opportunities.match", "An opportunity that fits you: Gig")
    ]
    assert sent[0]["url"] == f"/opportunities/{opportunity.public_id}/"
    assert MatchNotice.objects.filter(opportunity=opportunity).count() == 1


def test_posting_schedules_the_match_job_on_commit(django_capture_on_commit_callbacks):
    # given
    poster = ProfileFactory()
    # when
    with django_capture_on_commit_callbacks() as callbacks:
        post(poster)
    # then
    assert len(callbacks) == 1


def test_an_expired_or_closed_opportunity_notifies_nobody(sent):
    python = InterestFactory(name="Python")
    poster, fit = ProfileFactory(), ProfileFactory()
    give_interests(fit, python)
    opportunity = post(poster, skills=[python])
    expire(opportunity)
    assert services.opportunity_match_notify(opportunity_id=opportunity.pk) == 0
    assert sent == []


def test_at_most_twenty_members_are_told(sent):
    python = InterestFactory(name="Python")
    poster = ProfileFactory()
    for _ in range(25):
        give_interests(ProfileFactory(), python)
    opportunity = post(poster, skills=[python])
    assert services.opportunity_match_notify(opportunity_id=opportunity.pk) == 20
    assert len({s["recipient"] for s in sent}) == 20


def test_the_open_to_signal_is_validated_and_replaced():
    member, friend = ProfileFactory(), ProfileFactory()
    with pytest.raises(OpportunityInvalid):
        services.open_to_signal_set(user=member.user, kinds=["astronaut"])
    with pytest.raises(OpportunityInvalid):
        services.open_to_signal_set(user=member.user, kinds=["job"], audience="everyone")
    services.open_to_signal_set(user=member.user, kinds=["job"], audience="connections")
    signal = services.open_to_signal_set(
        user=member.user,
        kinds=["freelance", "freelance"],
        note="Weekends",
        audience="named",
        audience_members=[friend.user.public_id],
    )
    assert (signal.kinds, signal.note, signal.audience) == (["freelance"], "Weekends", "named")
    assert list(signal.audience_members.all()) == [friend.user]


def test_expiry_must_be_in_the_future_within_a_year_boundary():
    poster = ProfileFactory()
    assert post(poster, expires_at=in_days(365)).pk is not None
