"""Introduction services and selectors: double opt-in, quiet declines, small groups, the one
visibility rule, limits and every refusal with its code."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from commonground.core.errors import ValidationFailed
from commonground.messaging.models import Conversation
from commonground.network.errors import (
    IntroductionInvalid,
    IntroductionNotFound,
    IntroductionNotPending,
    IntroductionsLimited,
    NotYourConnection,
    SelfRelation,
)
from commonground.network.models import Introduction, IntroductionParticipant
from commonground.network.selectors_introductions import (
    introduction_get,
    introduction_list,
    introduction_pending_count,
    introduction_reason_draft,
)
from commonground.network.services import (
    introduction_accept,
    introduction_create,
    introduction_decline,
    introduction_expire_overdue,
    member_block,
)
from commonground.notifications.models import Notification
from commonground.profiles.errors import MemberNotFound
from commonground.profiles.selectors import Viewer, member_get
from tests.commonground.factories import (
    InterestFactory,
    NewMemberFactory,
    ProfileFactory,
    connect,
    give_interests,
)

pytestmark = pytest.mark.django_db

State = Introduction.State


def _trio():
    introducer = ProfileFactory(display_name="Ivy Introducer")
    ada = ProfileFactory(display_name="Ada Lovelace", profession="Engineer", city="London")
    bo = ProfileFactory(display_name="Bo Diddley", profession="Musician", city="Chicago")
    connect(introducer, ada)
    connect(introducer, bo)
    return introducer, ada, bo


def _introduce(introducer, *people, reason="You both love hockey."):
    return introduction_create(
        introducer=introducer.user,
        member_public_ids=[p.user.public_id for p in people],
        reason=reason,
    )


def _view(member, intro):
    return introduction_get(viewer=Viewer.for_user(member.user), public_id=intro.public_id)


def test_create_asks_each_person_without_names():
    # given
    introducer, ada, bo = _trio()
    hockey = InterestFactory(name="Hockey")
    give_interests(ada, hockey)
    give_interests(bo, hockey)

    # when
    intro = _introduce(introducer, ada, bo)

    # then
    assert intro.state == State.PENDING
    assert intro.participant_key == ",".join(str(i) for i in sorted([ada.user_id, bo.user_id]))
    assert intro.expires_at - intro.created_at == timedelta(days=14)
    answers = IntroductionParticipant.objects.filter(introduction=intro).values_list(
        "user_id", "answer"
    )
    assert sorted(answers) == sorted([(ada.user_id, "pending"), (bo.user_id, "pending")])
    seen_by_ada = _view(ada, intro)
    assert seen_by_ada.role == "introduced"
    assert seen_by_ada.introducer.display_name == "Ivy Introducer"
    assert seen_by_ada.reason == "You both love hockey."
    [other] = seen_by_ada.people
    assert (other.public_id, other.display_name) == (None, None)
    assert (other.profession, other.city, other.description) == (
        "Musician",
        "Chicago",
        "Musician in Chicago",
    )
    assert [ref.name for ref in other.shared] == ["Hockey"]


def test_description_respects_profile_visibility():
    # given: Bo shows work and interests only to connections (Ada is not one)
    introducer, ada, bo = _trio()
    bo.work_visibility = "connections"
    bo.interests_visibility = "connections"
    bo.save()
    hockey = InterestFactory(name="Hockey")
    give_interests(ada, hockey)
    give_interests(bo, hockey)
    intro = _introduce(introducer, ada, bo)

    # when
    [other] = _view(ada, intro).people

    # then
    assert (other.profession, other.shared, other.city) == (None, [], "Chicago")
    assert other.description == "A member in Chicago"


def test_all_accepting_shares_names_opens_a_conversation_and_notifies(
    django_capture_on_commit_callbacks,
):
    # given
    introducer, ada, bo = _trio()
    intro = _introduce(introducer, ada, bo)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        first = introduction_accept(user=ada.user, introduction_public_id=intro.public_id)
        halfway = _view(bo, intro)
    with django_capture_on_commit_callbacks(execute=True):
        last = introduction_accept(user=bo.user, introduction_public_id=intro.public_id)

    # then
    assert first.state == State.PENDING
    assert [p.display_name for p in halfway.people] == [None]
    assert last.state == State.ACCEPTED
    assert [p.display_name for p in _view(ada, intro).people] == ["Bo Diddley"]
    assert [p.public_id for p in _view(bo, intro).people] == [ada.user.public_id]
    made = _view(introducer, intro)
    assert (made.state, made.accepted, made.total) == ("accepted", 2, 2)
    intro.refresh_from_db()
    conversation = Conversation.objects.get(public_id=intro.conversation_id)
    assert conversation.origin == "introduction"
    assert _view(ada, intro).conversation_id == intro.conversation_id
    sent = Notification.objects.filter(kind__startswith="network.").order_by("recipient_id")
    assert [(n.recipient_id, n.kind, n.text) for n in sent] == [
        (
            introducer.user_id,
            "network.introduction_outcome",
            "Your introduction went ahead: Ada Lovelace and Bo Diddley both said yes.",
        ),
        (
            ada.user_id,
            "network.introduction",
            "Everyone said yes: meet Bo Diddley, introduced by Ivy Introducer.",
        ),
        (
            bo.user_id,
            "network.introduction",
            "Everyone said yes: meet Ada Lovelace, introduced by Ivy Introducer.",
        ),
    ]


def test_proposal_notification_names_nobody_but_the_introducer(
    django_capture_on_commit_callbacks,
):
    # given
    introducer, ada, bo = _trio()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        intro = _introduce(introducer, ada, bo)

    # then
    texts = list(Notification.objects.filter(recipient=ada.user).values_list("text", "url"))
    assert texts == [
        (
            "Ivy Introducer would like to introduce you to someone. Have a look and say yes or no.",
            f"/network/introductions/{intro.public_id}/",
        )
    ]


def test_conversation_open_not_implemented_is_skipped(
    monkeypatch, django_capture_on_commit_callbacks
):
    # given: messaging as it was before it landed
    def not_yet(**kwargs):
        raise NotImplementedError

    monkeypatch.setattr("commonground.messaging.services.conversation_open", not_yet)
    introducer, ada, bo = _trio()
    intro = _introduce(introducer, ada, bo)
    introduction_accept(user=ada.user, introduction_public_id=intro.public_id)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        introduction_accept(user=bo.user, introduction_public_id=intro.public_id)

    # then
    intro.refresh_from_db()
    assert (intro.state, intro.conversation_id) == (State.ACCEPTED, "")


def test_decline_is_quiet(django_capture_on_commit_callbacks):
    # given
    introducer, ada, bo = _trio()
    intro = _introduce(introducer, ada, bo)
    introduction_accept(user=ada.user, introduction_public_id=intro.public_id)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        introduction_decline(user=bo.user, introduction_public_id=intro.public_id)

    # then
    seen_by_ada = _view(ada, intro)
    assert seen_by_ada.state == "declined"
    assert seen_by_ada.state_label == "Did not go ahead"
    assert [(p.display_name, p.public_id) for p in seen_by_ada.people] == [(None, None)]
    assert _view(introducer, intro).state == "declined"
    [outcome] = Notification.objects.filter(recipient=introducer.user)
    assert outcome.kind == "network.introduction_outcome"
    assert "Bo" not in outcome.text
    assert not Notification.objects.filter(recipient=ada.user, kind__endswith="outcome").exists()
    with pytest.raises(IntroductionNotPending) as refused:
        introduction_accept(user=ada.user, introduction_public_id=intro.public_id)
    assert refused.value.message == "This introduction did not go ahead."


def test_answers_are_idempotent():
    # given
    introducer, ada, bo = _trio()
    intro = _introduce(introducer, ada, bo)

    # when
    introduction_accept(user=ada.user, introduction_public_id=intro.public_id)
    again = introduction_accept(user=ada.user, introduction_public_id=intro.public_id)
    introduction_decline(user=bo.user, introduction_public_id=intro.public_id)
    declined_again = introduction_decline(user=bo.user, introduction_public_id=intro.public_id)

    # then
    assert again.state == State.PENDING
    assert declined_again.state == State.DECLINED


def test_a_small_group_of_four_needs_everyone():
    # given
    introducer, ada, bo = _trio()
    cy, di = ProfileFactory(display_name="Cy"), ProfileFactory(display_name="Di")
    connect(introducer, cy)
    connect(introducer, di)
    intro = _introduce(introducer, ada, bo, cy, di)

    # when
    for member in (ada, bo, cy):
        introduction_accept(user=member.user, introduction_public_id=intro.public_id)
    before_last = _view(ada, intro)
    introduction_accept(user=di.user, introduction_public_id=intro.public_id)

    # then
    assert (before_last.state, before_last.is_group, len(before_last.people)) == (
        "pending",
        True,
        3,
    )
    assert sorted(p.display_name for p in _view(ada, intro).people) == [
        "Bo Diddley",
        "Cy",
        "Di",
    ]


def test_repeating_an_introduction_answers_the_pending_one():
    # given
    introducer, ada, bo = _trio()
    first = _introduce(introducer, ada, bo)

    # when
    again = _introduce(introducer, bo, ada, reason="Another reason")

    # then
    assert again.pk == first.pk
    assert Introduction.objects.count() == 1


def test_after_a_decline_the_same_people_can_be_introduced_again():
    # given
    introducer, ada, bo = _trio()
    first = _introduce(introducer, ada, bo)
    introduction_decline(user=ada.user, introduction_public_id=first.public_id)

    # when
    second = _introduce(introducer, ada, bo)

    # then
    assert second.pk != first.pk
    assert second.state == State.PENDING


@pytest.mark.parametrize(
    ("build", "error", "message"),
    [
        (
            lambda i, a, b, x: [a],
            IntroductionInvalid,
            "Introduce two people to each other, or a small group of three or four (you chose 1).",
        ),
        (lambda i, a, b, x: [a, a], IntroductionInvalid, "Choose each person once."),
        (lambda i, a, b, x: [a, i], SelfRelation, "Introduce other people, not yourself."),
        (
            lambda i, a, b, x: [a, x],
            NotYourConnection,
            "You can only introduce your own connections.",
        ),
    ],
)
def test_refusals(build, error, message):
    # given
    introducer, ada, bo = _trio()
    stranger = ProfileFactory()

    # when
    with pytest.raises(error) as refused:
        _introduce(introducer, *build(introducer, ada, bo, stranger))

    # then
    assert refused.value.message == message
    assert refused.value.field == "members"
    assert Introduction.objects.count() == 0


def test_five_people_are_too_many():
    # given
    introducer = ProfileFactory()
    people = ProfileFactory.create_batch(5)
    for person in people:
        connect(introducer, person)

    # when
    with pytest.raises(IntroductionInvalid):
        _introduce(introducer, *people)

    # then
    assert Introduction.objects.count() == 0


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "This field is required."),
        ("   ", "This field is required."),
        ("x" * 501, "Use at most 500 characters (you used 501)."),
        ("nul\x00byte", "Control characters are not allowed."),
    ],
)
def test_reason_is_required_and_bounded(reason, message):
    # given
    introducer, ada, bo = _trio()

    # when
    with pytest.raises(ValidationFailed) as refused:
        _introduce(introducer, ada, bo, reason=reason)

    # then
    assert (refused.value.message, refused.value.field) == (message, "reason")
    assert Introduction.objects.count() == 0


def test_members_who_block_each_other_cannot_be_introduced_and_the_introducer_is_not_told_who():
    # given
    introducer, ada, bo = _trio()
    member_block(user=bo.user, member_public_id=ada.user.public_id)

    # when
    with pytest.raises(IntroductionInvalid) as refused:
        _introduce(introducer, ada, bo)

    # then
    assert refused.value.message == "These members can't be introduced to each other."


def test_a_hidden_or_unfinished_member_is_not_found():
    # given
    introducer, ada, _bo = _trio()
    newcomer = NewMemberFactory()
    connect(introducer, newcomer)

    # when / then
    with pytest.raises(MemberNotFound):
        _introduce(introducer, ada, newcomer)
    with pytest.raises(MemberNotFound):
        introduction_create(
            introducer=introducer.user, member_public_ids=[ada.user.public_id, "nope!"], reason="r"
        )


def test_a_block_ends_pending_introductions_of_the_two():
    # given
    introducer, ada, bo = _trio()
    intro = _introduce(introducer, ada, bo)
    other = ProfileFactory()
    connect(introducer, other)
    untouched = _introduce(introducer, ada, other)

    # when
    member_block(user=ada.user, member_public_id=bo.user.public_id)

    # then
    intro.refresh_from_db()
    untouched.refresh_from_db()
    assert (intro.state, untouched.state) == (State.DECLINED, State.PENDING)


def test_blocking_the_introducer_hides_the_introduction():
    # given
    introducer, ada, bo = _trio()
    intro = _introduce(introducer, ada, bo)

    # when
    member_block(user=ada.user, member_public_id=introducer.user.public_id)

    # then
    with pytest.raises(IntroductionNotFound):
        _view(ada, intro)
    with pytest.raises(IntroductionNotFound):
        introduction_accept(user=ada.user, introduction_public_id=intro.public_id)
    assert introduction_list(viewer=Viewer.for_user(ada.user)).proposed == []
    intro.refresh_from_db()
    assert intro.state == State.DECLINED


def test_outsiders_do_not_find_it():
    # given
    introducer, ada, bo = _trio()
    intro = _introduce(introducer, ada, bo)
    outsider = ProfileFactory()

    # when / then
    for act in (introduction_accept, introduction_decline):
        with pytest.raises(IntroductionNotFound) as refused:
            act(user=outsider.user, introduction_public_id=intro.public_id)
        assert refused.value.message == "No such introduction."
    with pytest.raises(IntroductionNotFound):
        _view(outsider, intro)
    with pytest.raises(IntroductionNotFound):
        introduction_accept(user=introducer.user, introduction_public_id=intro.public_id)
    with pytest.raises(IntroductionNotFound):
        introduction_get(viewer=Viewer(user_id=None), public_id=intro.public_id)
    assert introduction_list(viewer=Viewer.for_user(outsider.user)) == introduction_list(
        viewer=Viewer(user_id=None)
    )


def test_an_introduction_expires_after_14_days():
    # given
    introducer, ada, bo = _trio()
    intro = _introduce(introducer, ada, bo)
    Introduction.objects.filter(pk=intro.pk).update(expires_at=timezone.now())

    # when
    seen = _view(ada, intro)
    with pytest.raises(IntroductionNotPending) as refused:
        introduction_accept(user=ada.user, introduction_public_id=intro.public_id)
    fresh = _introduce(introducer, ada, bo)

    # then
    assert seen.state == "expired"
    assert refused.value.message == "This introduction expired before everyone answered."
    intro.refresh_from_db()
    assert intro.state == State.EXPIRED
    assert fresh.pk != intro.pk


def test_the_sweep_expires_overdue_introductions_once():
    # given
    introducer, ada, bo = _trio()
    intro = _introduce(introducer, ada, bo)
    later = timezone.now() + timedelta(days=15)

    # when
    first = introduction_expire_overdue(now=later)
    second = introduction_expire_overdue(now=later)

    # then
    assert (first, second) == (1, 0)
    intro.refresh_from_db()
    assert intro.state == State.EXPIRED


def test_twenty_introductions_a_day(settings):
    # given
    settings.INTRODUCTIONS_PER_DAY = 2
    introducer = ProfileFactory()
    people = ProfileFactory.create_batch(4)
    for person in people:
        connect(introducer, person)
    _introduce(introducer, people[0], people[1])
    _introduce(introducer, people[0], people[2])

    # when
    with pytest.raises(IntroductionsLimited) as refused:
        _introduce(introducer, people[0], people[3])
    repeated = _introduce(introducer, people[1], people[0])

    # then
    assert refused.value.status == 429
    assert (
        refused.value.message == "You can make at most 2 introductions a day. Try again tomorrow."
    )
    assert repeated.participant_key == Introduction.objects.order_by("pk").first().participant_key
    assert Introduction.objects.count() == 2


def test_lists_and_pending_count():
    # given
    introducer, ada, bo = _trio()
    mine = _introduce(introducer, ada, bo)
    other_introducer = ProfileFactory()
    connect(other_introducer, ada)
    cy = ProfileFactory()
    connect(other_introducer, cy)
    for_ada = _introduce(other_introducer, ada, cy)

    # when
    ada_lists = introduction_list(viewer=Viewer.for_user(ada.user))
    introducer_lists = introduction_list(viewer=Viewer.for_user(introducer.user))

    # then
    assert [v.public_id for v in ada_lists.proposed] == [for_ada.public_id, mine.public_id]
    assert ada_lists.made == []
    assert [v.public_id for v in introducer_lists.made] == [mine.public_id]
    assert introduction_pending_count(viewer=Viewer.for_user(ada.user)) == 2
    introduction_accept(user=ada.user, introduction_public_id=mine.public_id)
    assert introduction_pending_count(viewer=Viewer.for_user(ada.user)) == 1


def test_list_query_count_does_not_grow(django_assert_num_queries):
    # given: introductions made by the viewer, and made for them by someone else
    introducer, other = ProfileFactory(), ProfileFactory()
    people = ProfileFactory.create_batch(6)
    for person in people:
        connect(introducer, person)
        connect(other, person)
    connect(other, introducer)
    _introduce(introducer, people[0], people[1])
    _introduce(other, introducer, people[0])
    viewer = Viewer.for_user(introducer.user)
    with django_assert_num_queries(7) as small:
        introduction_list(viewer=viewer)

    # when
    _introduce(introducer, people[2], people[3], people[4])
    _introduce(introducer, people[1], people[5])
    _introduce(other, introducer, people[3], people[4])

    # then
    with django_assert_num_queries(len(small.captured_queries)):
        found = introduction_list(viewer=viewer)
    assert (len(found.made), len(found.proposed)) == (3, 2)


def test_the_lists_are_limited_each_on_their_own():
    # given
    introducer, other = ProfileFactory(), ProfileFactory()
    people = ProfileFactory.create_batch(3)
    for person in people:
        connect(introducer, person)
        connect(other, person)
    connect(other, introducer)
    proposed = _introduce(other, introducer, people[0])
    _introduce(introducer, people[0], people[1])
    _introduce(introducer, people[0], people[2])
    _introduce(introducer, people[1], people[2])

    # when
    found = introduction_list(viewer=Viewer.for_user(introducer.user), limit=2)

    # then
    assert len(found.made) == 2
    assert [v.public_id for v in found.proposed] == [proposed.public_id]


def test_reason_draft_from_what_they_share():
    # given
    introducer, ada, bo = _trio()
    trek, hockey, chess = (InterestFactory(name=n) for n in ("Star Trek", "Hockey", "Chess"))
    give_interests(ada, trek, hockey, chess)
    give_interests(bo, hockey, trek)
    viewer = Viewer.for_user(introducer.user)
    people = [member_get(viewer=viewer, public_id=p.user.public_id) for p in (ada, bo)]

    # when
    draft = introduction_reason_draft(people=people)

    # then
    assert draft == (
        "Ada and Bo: you both love Hockey and Star Trek. I think you'd enjoy swapping notes, "
        "so I wanted you to meet."
    )


def test_someone_who_blocks_you_later_vanishes_from_a_past_introduction():
    # given
    introducer, ada, bo = _trio()
    intro = _introduce(introducer, ada, bo)
    for member in (ada, bo):
        introduction_accept(user=member.user, introduction_public_id=intro.public_id)

    # when
    member_block(user=bo.user, member_public_id=ada.user.public_id)

    # then
    [other] = _view(ada, intro).people
    assert (other.public_id, other.display_name, other.profession, other.city) == (
        None,
        None,
        None,
        None,
    )
    assert other.description == "A member"
    assert sorted(p.display_name for p in _view(introducer, intro).people) == [
        "Ada Lovelace",
        "Bo Diddley",
    ]
