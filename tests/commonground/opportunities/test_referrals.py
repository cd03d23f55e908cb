"""Referrals: consent first, the poster's pipeline, requests to a connection at the
organization, interest expressed directly; everyone involved is told."""

from __future__ import annotations

import pytest

from commonground.network.services.safety import member_block
from commonground.opportunities import selectors, services
from commonground.opportunities.errors import (
    BadTransition,
    CannotRefer,
    NotConnected,
    NotPoster,
    OpportunityClosed,
    OpportunityNotFound,
    ReferralNotFound,
)
from commonground.opportunities.models import InterestExpression, Referral, ReferralRequest
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import ProfileFactory, connect
from tests.commonground.opportunities.helpers import expire, post

pytestmark = pytest.mark.django_db


def _world():
    poster = ProfileFactory(display_name="Pat Poster")
    referrer = ProfileFactory(display_name="Rae Referrer")
    candidate = ProfileFactory(display_name="Cam Candidate")
    connect(referrer, candidate)
    opportunity = post(poster, title="Gig", organization="Acme")
    return poster, referrer, candidate, opportunity


def _refer(referrer, candidate, opportunity, note="Great fit"):
    return services.referral_create(
        user=referrer.user,
        opportunity_public_id=opportunity.public_id,
        candidate_public_id=candidate.user.public_id,
        note=note,
    )


def test_the_candidate_agrees_first_then_the_poster_moves_it_along(sent):
    # given
    poster, referrer, candidate, opportunity = _world()
    poster_viewer = Viewer.for_user(poster.user)
    # when: referred
    referral = _refer(referrer, candidate, opportunity)
    # then: waiting for the candidate, invisible to the poster
    assert referral.status == "awaiting_candidate"
    assert selectors.referral_lists_for(viewer=poster_viewer).for_mine == []
    assert [(s["recipient"], s["text"]) for s in sent] == [
        (candidate.user_id, "Rae Referrer would like to refer you to Gig. Agree or decline.")
    ]
    # when: the candidate agrees
    referral = services.referral_candidate_answer(
        user=candidate.user, public_id=referral.public_id, agree=True
    )
    # then
    assert referral.status == "submitted"
    assert referral.candidate_agreed_at is not None
    assert [r.pk for r in selectors.referral_lists_for(viewer=poster_viewer).for_mine] == [
        referral.pk
    ]
    assert [(s["recipient"], s["text"]) for s in sent[1:]] == [
        (poster.user_id, "Rae Referrer referred Cam Candidate to Gig"),
        (referrer.user_id, "Cam Candidate agreed to your referral to Gig"),
    ]
    # when: the poster moves it to interviewing, then hired
    services.referral_status_set(
        user=poster.user, public_id=referral.public_id, status="interviewing"
    )
    referral = services.referral_status_set(
        user=poster.user, public_id=referral.public_id, status="hired"
    )
    # then
    assert referral.status == "hired"
    assert [(s["recipient"], s["text"]) for s in sent[3:]] == [
        (referrer.user_id, "Referral of Cam Candidate to Gig: interviewing"),
        (candidate.user_id, "Referral of Cam Candidate to Gig: interviewing"),
        (referrer.user_id, "Referral of Cam Candidate to Gig: hired"),
        (candidate.user_id, "Referral of Cam Candidate to Gig: hired"),
    ]
    assert {s["kind"] for s in sent} == {"opportunities.referral"}


def test_a_declining_candidate_withdraws_it_and_the_poster_never_sees_it(sent):
    poster, referrer, candidate, opportunity = _world()
    referral = _refer(referrer, candidate, opportunity)
    referral = services.referral_candidate_answer(
        user=candidate.user, public_id=referral.public_id, agree=False
    )
    assert referral.status == "withdrawn"
    assert selectors.referral_lists_for(viewer=Viewer.for_user(poster.user)).for_mine == []
    assert poster.user_id not in {s["recipient"] for s in sent}
    # and a new referral of the same candidate is possible again
    assert _refer(referrer, candidate, opportunity).status == "awaiting_candidate"


def test_only_connections_can_be_referred():
    _poster, referrer, _, opportunity = _world()
    stranger = ProfileFactory()
    with pytest.raises(NotConnected):
        _refer(referrer, stranger, opportunity)
    assert Referral.objects.count() == 0


def test_a_second_referrer_of_the_same_candidate_is_refused_the_same_one_repeats():
    _poster, referrer, candidate, opportunity = _world()
    other = ProfileFactory()
    connect(other, candidate)
    first = _refer(referrer, candidate, opportunity)
    assert _refer(referrer, candidate, opportunity).pk == first.pk
    with pytest.raises(CannotRefer) as already:
        _refer(other, candidate, opportunity)
    assert Referral.objects.count() == 1
    # the same answer as for a candidate who blocks the poster: nothing tells them apart
    blocker = ProfileFactory()
    connect(other, blocker)
    member_block(user=blocker.user, member_public_id=_poster.user.public_id)
    with pytest.raises(CannotRefer) as blocked:
        _refer(other, blocker, opportunity)
    assert (already.value.code, str(already.value), already.value.field) == (
        blocked.value.code,
        str(blocked.value),
        blocked.value.field,
    )


def test_closed_opportunities_take_no_referrals_and_hidden_ones_are_not_found():
    poster, referrer, candidate, opportunity = _world()
    expire(opportunity)
    with pytest.raises(OpportunityClosed):
        _refer(referrer, candidate, opportunity)
    hidden = post(poster, audience="connections")
    with pytest.raises(OpportunityNotFound):
        _refer(referrer, candidate, hidden)
    assert Referral.objects.count() == 0


def test_the_poster_only_moves_submitted_referrals_forward():
    poster, referrer, candidate, opportunity = _world()
    referral = _refer(referrer, candidate, opportunity)
    # before the candidate agrees, the poster does not even know of it
    with pytest.raises(ReferralNotFound):
        services.referral_status_set(user=poster.user, public_id=referral.public_id, status="hired")
    services.referral_candidate_answer(
        user=candidate.user, public_id=referral.public_id, agree=True
    )
    with pytest.raises(NotPoster):
        services.referral_status_set(
            user=referrer.user, public_id=referral.public_id, status="hired"
        )
    services.referral_status_set(user=poster.user, public_id=referral.public_id, status="declined")
    with pytest.raises(BadTransition):
        services.referral_status_set(
            user=poster.user, public_id=referral.public_id, status="reviewing"
        )


def test_asking_a_connection_at_the_organization_then_being_referred_skips_consent(sent):
    # given: the requester's connection works at Acme (visible to connections)
    poster, _, requester, opportunity = _world()
    insider = ProfileFactory(display_name="Ines Insider", organization="ACME")
    connect(requester, insider)
    outsider = ProfileFactory(organization="Other")
    connect(requester, outsider)
    # when
    with pytest.raises(NotConnected):
        services.referral_request_create(
            user=requester.user,
            opportunity_public_id=opportunity.public_id,
            asked_public_id=outsider.user.public_id,
        )
    request = services.referral_request_create(
        user=requester.user,
        opportunity_public_id=opportunity.public_id,
        asked_public_id=insider.user.public_id,
        message="Could you?",
    )
    referral = _refer(insider, requester, opportunity)
    # then
    assert referral.status == "submitted"
    assert ReferralRequest.objects.get(pk=request.pk).status == "referred"
    assert [(s["recipient"], s["text"]) for s in sent] == [
        (insider.user_id, "Cam Candidate asks you to refer them to Gig"),
        (poster.user_id, "Ines Insider referred Cam Candidate to Gig"),
    ]


def test_interest_expressed_directly_reaches_the_poster_once(sent):
    poster, _, member, opportunity = _world()
    services.interest_express(
        user=member.user, opportunity_public_id=opportunity.public_id, note="Me!"
    )
    services.interest_express(user=member.user, opportunity_public_id=opportunity.public_id)
    view = selectors.opportunity_get(
        viewer=Viewer.for_user(poster.user), public_id=opportunity.public_id
    )
    rows = selectors.interest_expressions_for(viewer=Viewer.for_user(poster.user), view=view)
    assert [(r.member_id, r.note) for r in rows] == [(member.user_id, "Me!")]
    assert InterestExpression.objects.count() == 1
    assert [(s["recipient"], s["text"]) for s in sent] == [
        (poster.user_id, "Cam Candidate is interested in Gig")
    ]


def test_referrals_are_seen_only_by_those_involved():
    poster, referrer, candidate, opportunity = _world()
    referral = _refer(referrer, candidate, opportunity)
    stranger = ProfileFactory()
    for who, sees in ((referrer, True), (candidate, True), (poster, False), (stranger, False)):
        lists = selectors.referral_lists_for(viewer=Viewer.for_user(who.user))
        assert (referral in lists.made + lists.received + lists.for_mine) == sees


def test_the_referrer_withdraws_before_the_poster_moves_it():
    _poster, referrer, candidate, opportunity = _world()
    referral = _refer(referrer, candidate, opportunity)
    assert services.referral_withdraw(user=referrer.user, public_id=referral.public_id).status == (
        "withdrawn"
    )
    with pytest.raises(BadTransition):
        services.referral_withdraw(user=candidate.user, public_id=referral.public_id)


def test_notifications_are_written_for_the_candidate_on_commit(django_capture_on_commit_callbacks):
    # given
    from commonground.notifications.models import Notification

    _, referrer, candidate, opportunity = _world()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        _refer(referrer, candidate, opportunity)
    # then
    row = Notification.objects.get(recipient=candidate.user)
    assert (row.kind, row.text, row.url, row.actor_id) == (
        "opportunities.referral",
        "Rae Referrer would like to refer you to Gig. Agree or decline.",
        "/referrals/",
        referrer.user_id,
    )
    assert Notification.objects.count() == 1


def test_a_referrer_who_leaves_the_audience_group_no_longer_sees_the_referral():
    # given: a group-only gig, referred by a group member
    from commonground.groups import services as group_services
    from tests.commonground.factories import InterestFactory

    poster, referrer, candidate = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(referrer, candidate)
    group = group_services.group_create(
        user=poster.user, name="Guild", interests=[InterestFactory()]
    )
    group_services.group_join(user=referrer.user, slug=group.slug)
    opportunity = post(poster, audience="groups", audience_groups=[group.slug])
    referral = _refer(referrer, candidate, opportunity)
    # when
    group_services.group_leave(user=referrer.user, slug=group.slug)
    # then: gone for the referrer, still there for the candidate it was shared with
    assert selectors.referral_lists_for(viewer=Viewer.for_user(referrer.user)).made == []
    assert [
        r.pk for r in selectors.referral_lists_for(viewer=Viewer.for_user(candidate.user)).received
    ] == [referral.pk]
