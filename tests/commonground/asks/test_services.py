"""Ask writes: posting (validation, audience, the daily limit), answers, "helped", status."""

from __future__ import annotations

import pytest
from django.utils import timezone

from commonground.asks import services
from commonground.asks.errors import (
    AlreadyAnswered,
    AskInvalid,
    AskNotFound,
    AskNotOpen,
    NotAskAuthor,
    OwnAsk,
    TooManyAsks,
)
from commonground.asks.models import Answer, Ask
from commonground.asks.selectors import helped_counts
from commonground.asks.services import answers as answers_module
from commonground.core.errors import ApplicationError
from commonground.interests.services import interest_merge
from tests.commonground.asks.helpers import make_ask, make_group
from tests.commonground.factories import InterestFactory, ProfileFactory, connect

pytestmark = pytest.mark.django_db


def test_an_ask_is_posted_with_its_interests_and_audience():
    # given
    author = ProfileFactory()
    data, baking = InterestFactory(name="Data science"), InterestFactory(name="Sourdough baking")

    # when
    ask = make_ask(
        author,
        data,
        baking,
        title="  Advice on moving into data science  ",
        body="I have a **PhD** in physics.",
        topic="advice",
    )

    # then
    ask.refresh_from_db()
    assert ask.title == "Advice on moving into data science"
    assert ask.kind == "ask"
    assert ask.status == "open"
    assert ask.audience == "community"
    assert ask.group is None
    assert sorted(ask.interests.values_list("name", flat=True)) == [
        "Data science",
        "Sourdough baking",
    ]
    assert len(ask.public_id) >= 10


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"title": ""}, "title", "This field is required."),
        ({"title": "Help"}, "title", "Say what you need in at least 5 characters."),
        ({"title": "x" * 141}, "title", "Use at most 140 characters (you used 141)."),
        ({"title": "Star\x00Trek help"}, "title", "Control characters are not allowed."),
        ({"body": "y" * 5001}, "body", "Use at most 5000 characters (you used 5001)."),
        ({"kind": "demand"}, "kind", "Choose ask or offer."),
        (
            {"topic": "gossip"},
            "topic",
            "Choose advice, introduction, referral, feedback or other.",
        ),
        ({"audience": "world"}, "audience", "Choose network, group or community."),
        (
            {"audience": "group"},
            "group",
            "Choose one of the groups you are a member of.",
        ),
    ],
)
def test_bad_input_is_refused_with_the_field_and_writes_nothing(fields, field, message):
    # given
    author = ProfileFactory()

    # when
    with pytest.raises(ApplicationError) as caught:
        make_ask(author, **fields)

    # then
    assert (caught.value.field, caught.value.message) == (field, message)
    assert caught.value.status == 400
    assert Ask.objects.count() == 0


def test_at_most_five_interests_and_never_a_merged_one():
    author = ProfileFactory()
    with pytest.raises(AskInvalid) as too_many:
        make_ask(author, *[InterestFactory() for _ in range(6)])
    old, new = InterestFactory(name="Sourdough"), InterestFactory(name="Sourdough baking")
    interest_merge(source=old, target=new)
    old.refresh_from_db()
    with pytest.raises(AskInvalid) as merged:
        make_ask(author, old)
    assert too_many.value.message == "Choose at most 5 interests."
    assert merged.value.field == "interests"
    assert Ask.objects.count() == 0


def test_a_group_ask_needs_a_group_the_author_is_an_active_member_of():
    # given: a secret group the author is not in, and one they are in
    owner, author = ProfileFactory(), ProfileFactory()
    secret = make_group(owner, visibility="secret")
    mine = make_group(owner, author)

    # when
    with pytest.raises(AskInvalid) as outsider:
        make_ask(author, audience="group", group_slug=secret.slug)
    with pytest.raises(AskInvalid) as missing:
        make_ask(author, audience="group", group_slug="no-such-group")
    ask = make_ask(author, audience="group", group_slug=mine.slug)

    # then: the same answer for a hidden group and a missing one
    assert outsider.value.as_dict() == missing.value.as_dict()
    assert ask.group == mine
    assert Ask.objects.count() == 1


def test_a_network_or_community_ask_ignores_a_group_given_with_it():
    owner, author = ProfileFactory(), ProfileFactory()
    group = make_group(owner, author)
    ask = make_ask(author, audience="network", group_slug=group.slug)
    assert ask.group is None


def test_the_sixth_post_in_a_day_is_refused_with_429_and_nothing_written():
    # given
    author = ProfileFactory()
    for n in range(4):
        make_ask(author, title=f"Ask number {n}")
    make_ask(author, title="An offer to review CVs", kind="offer")

    # when
    with pytest.raises(TooManyAsks) as caught:
        make_ask(author, title="One more ask")

    # then
    assert caught.value.status == 429
    assert caught.value.code == "too_many_asks"
    assert caught.value.message == (
        "You can post at most 5 asks and offers a day. Try again in 24 hours."
    )
    assert Ask.objects.filter(author=author.user).count() == 5
    # and another member is not affected
    assert make_ask(ProfileFactory()).pk


def test_posts_older_than_a_day_do_not_count():
    author = ProfileFactory()
    for n in range(5):
        make_ask(author, title=f"Ask number {n}")
    Ask.objects.update(created_at=timezone.now() - timezone.timedelta(hours=25))
    assert make_ask(author, title="A new day, a new ask").pk
    assert Ask.objects.count() == 6


def test_a_member_answers_once_and_edits_after():
    # given
    author, helper = ProfileFactory(), ProfileFactory()
    ask = make_ask(author)

    # when
    answer = services.answer_create(user=helper.user, ask_public_id=ask.public_id, body="Try X.")
    with pytest.raises(AlreadyAnswered) as twice:
        services.answer_create(user=helper.user, ask_public_id=ask.public_id, body="And Y.")
    edited = services.answer_update(
        user=helper.user,
        ask_public_id=ask.public_id,
        answer_public_id=answer.public_id,
        body="Try X, then Y.",
    )

    # then
    assert twice.value.status == 409
    assert twice.value.message == "You already answered this; edit your answer instead."
    assert edited.pk == answer.pk
    assert list(Answer.objects.values_list("body", flat=True)) == ["Try X, then Y."]


def test_answers_are_refused_on_ones_own_ask_on_a_closed_one_and_when_empty():
    author, helper = ProfileFactory(), ProfileFactory()
    ask = make_ask(author)
    with pytest.raises(OwnAsk):
        services.answer_create(user=author.user, ask_public_id=ask.public_id, body="Me!")
    with pytest.raises(AskInvalid) as empty:
        services.answer_create(user=helper.user, ask_public_id=ask.public_id, body="   ")
    services.ask_status_set(user=author.user, public_id=ask.public_id, status="closed")
    with pytest.raises(AskNotOpen) as closed:
        services.answer_create(user=helper.user, ask_public_id=ask.public_id, body="Late")
    assert empty.value.field == "body"
    assert closed.value.status == 409
    assert Answer.objects.count() == 0


def test_an_ask_closed_while_an_answer_is_being_written_refuses_it(monkeypatch):
    # given: the author closes the ask after the answer's first look, before it is saved
    author, helper = ProfileFactory(), ProfileFactory()
    ask = make_ask(author)
    clean = answers_module._clean_body

    def close_meanwhile(body, *, ask):
        services.ask_status_set(user=author.user, public_id=ask.public_id, status="closed")
        return clean(body, ask=ask)

    monkeypatch.setattr(answers_module, "_clean_body", close_meanwhile)

    # when / then
    with pytest.raises(AskNotOpen):
        services.answer_create(user=helper.user, ask_public_id=ask.public_id, body="Late")
    assert Answer.objects.count() == 0


def test_an_offer_takes_a_plain_i_would_like_this():
    author, member = ProfileFactory(), ProfileFactory()
    offer = make_ask(author, kind="offer", title="I can review CVs for data science")
    answer = services.answer_create(user=member.user, ask_public_id=offer.public_id, body="")
    assert answer.body == "I'd like this."


def test_only_the_answerer_edits_an_answer_and_outsiders_get_404():
    # given: a network ask, a connection who answered, a stranger
    author, friend, other_friend, stranger = (ProfileFactory() for _ in range(4))
    connect(author, friend)
    connect(author, other_friend)
    ask = make_ask(author, audience="network")
    answer = services.answer_create(user=friend.user, ask_public_id=ask.public_id, body="Hi")

    # when / then
    with pytest.raises(NotAskAuthor):
        services.answer_update(
            user=other_friend.user,
            ask_public_id=ask.public_id,
            answer_public_id=answer.public_id,
            body="Hijacked",
        )
    with pytest.raises(AskNotFound):
        services.answer_update(
            user=stranger.user,
            ask_public_id=ask.public_id,
            answer_public_id=answer.public_id,
            body="Hijacked",
        )
    with pytest.raises(AskNotFound):
        services.answer_create(user=stranger.user, ask_public_id=ask.public_id, body="Hi")
    assert Answer.objects.get().body == "Hi"


def test_the_asker_marks_what_helped_once_and_can_take_it_back():
    # given
    author, helper = ProfileFactory(), ProfileFactory()
    ask = make_ask(author)
    answer = services.answer_create(user=helper.user, ask_public_id=ask.public_id, body="Try X")

    # when
    marked = services.answer_mark_helpful(
        user=author.user, ask_public_id=ask.public_id, answer_public_id=answer.public_id
    )
    first_mark = marked.marked_at
    again = services.answer_mark_helpful(
        user=author.user, ask_public_id=ask.public_id, answer_public_id=answer.public_id
    )

    # then
    assert marked.helpful is True
    assert first_mark is not None
    assert again.marked_at == first_mark
    with pytest.raises(NotAskAuthor):
        services.answer_mark_helpful(
            user=helper.user, ask_public_id=ask.public_id, answer_public_id=answer.public_id
        )
    back = services.answer_mark_helpful(
        user=author.user,
        ask_public_id=ask.public_id,
        answer_public_id=answer.public_id,
        helpful=False,
    )
    assert (back.helpful, back.marked_at) == (False, None)


def test_resolve_close_and_reopen_by_the_author_only():
    author, other = ProfileFactory(), ProfileFactory()
    ask = make_ask(author)
    resolved = services.ask_status_set(user=author.user, public_id=ask.public_id, status="resolved")
    assert (resolved.status, resolved.resolved_at is not None) == ("resolved", True)
    reopened = services.ask_status_set(user=author.user, public_id=ask.public_id, status="open")
    assert (reopened.status, reopened.resolved_at) == ("open", None)
    closed = services.ask_status_set(user=author.user, public_id=ask.public_id, status="closed")
    assert closed.status == "closed"
    with pytest.raises(NotAskAuthor):
        services.ask_status_set(user=other.user, public_id=ask.public_id, status="open")
    with pytest.raises(AskInvalid):
        services.ask_status_set(user=author.user, public_id=ask.public_id, status="deleted")
    assert Ask.objects.get().status == "closed"


def test_helped_counts_count_help_given_and_received_on_asks_and_offers():
    # given: ana's answer helped ben; ben's answer helped nobody; ana helped cy on her offer
    ana, ben, cy = ProfileFactory(), ProfileFactory(), ProfileFactory()
    bens_ask = make_ask(ben)
    cys_ask = make_ask(cy)
    anas_offer = make_ask(ana, kind="offer", title="I can review CVs")
    helped = services.answer_create(user=ana.user, ask_public_id=bens_ask.public_id, body="X")
    services.answer_create(user=ben.user, ask_public_id=cys_ask.public_id, body="Y")
    wants = services.answer_create(user=cy.user, ask_public_id=anas_offer.public_id, body="")
    services.answer_mark_helpful(
        user=ben.user, ask_public_id=bens_ask.public_id, answer_public_id=helped.public_id
    )
    services.answer_mark_helpful(
        user=ana.user, ask_public_id=anas_offer.public_id, answer_public_id=wants.public_id
    )

    # when / then
    assert helped_counts(user=ana.user) == {"helped_others": 2, "helped_you": 0}
    assert helped_counts(user=ben.user) == {"helped_others": 0, "helped_you": 1}
    assert helped_counts(user=cy.user) == {"helped_others": 0, "helped_you": 1}
