"""Follow-up services and selectors: private notes, keep-in-touch, thank-you reminders made on
accept, the idempotent reminder sweep, shared articles and reciprocity."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from commonground.core.errors import ValidationFailed
from commonground.network.errors import (
    ArticlesLimited,
    KeepInTouchNotFound,
    NoteNotFound,
    NotYourConnection,
    ReminderNotFound,
    SelfRelation,
)
from commonground.network.followup_models import (
    ContactNote,
    KeepInTouch,
    SharedArticle,
    ThankYouReminder,
)
from commonground.network.selectors_followups import (
    article_list,
    contact_followup_get,
    followup_list,
    reciprocity_get,
    thank_you_draft,
)
from commonground.network.services import (
    article_share,
    connection_request_accept,
    connection_request_create,
    contact_mark_contacted,
    contact_note_create,
    contact_note_delete,
    contact_note_update,
    followup_reminders_send,
    introduction_accept,
    introduction_create,
    keep_in_touch_clear,
    keep_in_touch_set,
    keep_in_touch_snooze,
    member_block,
    thank_you_dismiss,
    thank_you_done,
    thank_you_reminder_create,
)
from commonground.network.tasks import send_followup_reminders
from commonground.notifications.models import Notification
from commonground.profiles.errors import MemberNotFound
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import InterestFactory, ProfileFactory, connect, give_interests

pytestmark = pytest.mark.django_db


def _pair():
    owner = ProfileFactory(display_name="Alex Rivera")
    contact = ProfileFactory(display_name="Sam Okafor")
    connect(owner, contact)
    return owner, contact


def test_notes_are_private_to_their_owner():
    # given
    owner, contact = _pair()
    snoop = ProfileFactory()
    connect(snoop, contact)

    # when
    note = contact_note_create(
        owner=owner.user, contact_public_id=contact.user.public_id, body=" Loves telescopes. "
    )

    # then
    assert note.body == "Loves telescopes."
    mine = contact_followup_get(viewer=Viewer.for_user(owner.user), contact_id=contact.user_id)
    assert [n.body for n in mine.notes] == ["Loves telescopes."]
    for other in (contact, snoop):
        theirs = contact_followup_get(
            viewer=Viewer.for_user(other.user), contact_id=contact.user_id
        )
        assert theirs.notes == []
    with pytest.raises(NoteNotFound):
        contact_note_update(owner=snoop.user, note_public_id=note.public_id, body="mine now")
    with pytest.raises(NoteNotFound):
        contact_note_delete(owner=contact.user, note_public_id=note.public_id)
    assert ContactNote.objects.get().body == "Loves telescopes."


def test_note_edit_and_delete():
    # given
    owner, contact = _pair()
    note = contact_note_create(owner=owner.user, contact_public_id=contact.user.public_id, body="a")

    # when
    edited = contact_note_update(owner=owner.user, note_public_id=note.public_id, body="b")
    contact_note_delete(owner=owner.user, note_public_id=note.public_id)

    # then
    assert edited.body == "b"
    assert ContactNote.objects.count() == 0
    with pytest.raises(NoteNotFound):
        contact_note_delete(owner=owner.user, note_public_id=note.public_id)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("", "This field is required."),
        ("x" * 5001, "Use at most 5000 characters (you used 5001)."),
        ("a\x00b", "Control characters are not allowed."),
    ],
)
def test_note_bodies_are_checked(body, message):
    # given
    owner, contact = _pair()

    # when
    with pytest.raises(ValidationFailed) as refused:
        contact_note_create(owner=owner.user, contact_public_id=contact.user.public_id, body=body)

    # then
    assert (refused.value.message, refused.value.field) == (message, "body")
    assert ContactNote.objects.count() == 0


def test_notes_about_yourself_or_hidden_members_are_refused():
    # given
    owner, contact = _pair()
    member_block(user=contact.user, member_public_id=owner.user.public_id)

    # when / then
    with pytest.raises(SelfRelation):
        contact_note_create(owner=owner.user, contact_public_id=owner.user.public_id, body="me")
    with pytest.raises(MemberNotFound):
        contact_note_create(owner=owner.user, contact_public_id=contact.user.public_id, body="x")


def test_a_block_hides_existing_notes_and_reminders():
    # given
    owner, contact = _pair()
    contact_note_create(owner=owner.user, contact_public_id=contact.user.public_id, body="x")
    keep_in_touch_set(owner=owner.user, contact_public_id=contact.user.public_id, cadence_days=30)

    # when
    member_block(user=contact.user, member_public_id=owner.user.public_id)

    # then
    viewer = Viewer.for_user(owner.user)
    assert contact_followup_get(viewer=viewer, contact_id=contact.user_id).notes == []
    assert followup_list(viewer=viewer).keep_in_touch == []


def test_keep_in_touch_lapses_and_mark_contacted_resets_it():
    # given
    owner, contact = _pair()
    row = keep_in_touch_set(
        owner=owner.user, contact_public_id=contact.user.public_id, cadence_days=30
    )
    viewer = Viewer.for_user(owner.user)

    # when
    later = timezone.now() + timedelta(days=31)
    lapsed = followup_list(viewer=viewer, now=later)
    contacted = contact_mark_contacted(owner=owner.user, contact_public_id=contact.user.public_id)

    # then
    assert row.due_at - row.created_at == timedelta(days=30)
    [view] = lapsed.keep_in_touch
    assert (view.contact.display_name, view.cadence_days, view.is_due) == ("Sam Okafor", 30, True)
    assert lapsed.due_count == 1
    assert contacted.last_contact_at is not None
    assert contacted.due_at == contacted.last_contact_at + timedelta(days=30)
    assert followup_list(viewer=viewer).keep_in_touch[0].is_due is False


def test_changing_the_cadence_keeps_the_last_contact():
    # given
    owner, contact = _pair()
    keep_in_touch_set(owner=owner.user, contact_public_id=contact.user.public_id, cadence_days=30)
    contacted = contact_mark_contacted(owner=owner.user, contact_public_id=contact.user.public_id)

    # when
    changed = keep_in_touch_set(
        owner=owner.user, contact_public_id=contact.user.public_id, cadence_days=90
    )

    # then
    assert KeepInTouch.objects.count() == 1
    assert changed.due_at == contacted.last_contact_at + timedelta(days=90)


@pytest.mark.parametrize("days", [0, 7, 31, 365])
def test_only_the_offered_cadences(days):
    # given
    owner, contact = _pair()

    # when
    with pytest.raises(ValidationFailed) as refused:
        keep_in_touch_set(
            owner=owner.user, contact_public_id=contact.user.public_id, cadence_days=days
        )

    # then
    assert refused.value.message == "Choose a cadence of 14, 30, 60, 90, 180 days."
    assert refused.value.field == "cadence_days"


def test_clear_and_snooze_need_a_cadence():
    # given
    owner, contact = _pair()

    # when / then
    for act in (keep_in_touch_clear, keep_in_touch_snooze, contact_mark_contacted):
        with pytest.raises(KeepInTouchNotFound):
            act(owner=owner.user, contact_public_id=contact.user.public_id)


def test_accepting_a_request_reminds_both_to_say_thank_you():
    # given
    ada = ProfileFactory(display_name="Ada")
    bo = ProfileFactory(display_name="Bo")
    hockey = InterestFactory(name="Washington Capitals", kind="sports_team")
    give_interests(ada, hockey)
    give_interests(bo, hockey)
    request = connection_request_create(sender=ada.user, recipient_public_id=bo.user.public_id)

    # when
    connection_request_accept(user=bo.user, request_public_id=request.public_id)
    connection_request_accept(user=bo.user, request_public_id=request.public_id)

    # then
    rows = ThankYouReminder.objects.values_list("owner_id", "contact_id", "reason")
    assert sorted(rows) == sorted(
        [(ada.user_id, bo.user_id, "connected"), (bo.user_id, ada.user_id, "connected")]
    )
    later = timezone.now() + timedelta(days=2)
    [thanks] = followup_list(viewer=Viewer.for_user(ada.user), now=later).thank_yous
    assert thanks.is_due is True
    assert thanks.reason_label == "You connected"
    assert thanks.draft == (
        "Thanks for connecting, Bo! I enjoyed finding out we both follow the Washington "
        "Capitals. I'd love to hear how you got into it, and to stay in touch."
    )


def test_the_thank_you_for_an_event_and_its_draft():
    # given
    owner, contact = _pair()
    due = timezone.now()

    # when
    first = thank_you_reminder_create(
        owner=owner.user, contact=contact.user, reason="met at Stargazing on the Mall", due_at=due
    )
    again = thank_you_reminder_create(
        owner=owner.user, contact=contact.user, reason="met at Stargazing on the Mall", due_at=due
    )

    # then
    assert again.pk == first.pk
    [view] = followup_list(viewer=Viewer.for_user(owner.user)).thank_yous
    assert view.reason_label == "Met at Stargazing on the Mall"
    assert view.draft == (
        "It was great to meet you at Stargazing on the Mall, Sam! I'm glad our paths crossed, "
        "and I'd love to stay in touch."
    )


def test_thank_you_reminder_create_checks_its_input():
    # given
    owner, contact = _pair()
    naive = timezone.now().replace(tzinfo=None)

    # when / then
    with pytest.raises(SelfRelation):
        thank_you_reminder_create(
            owner=owner.user, contact=owner.user, reason="connected", due_at=timezone.now()
        )
    with pytest.raises(ValidationFailed) as refused:
        thank_you_reminder_create(owner=owner.user, contact=contact.user, reason="x", due_at=naive)
    assert refused.value.field == "due_at"
    assert ThankYouReminder.objects.count() == 0


def test_thank_you_done_and_dismiss():
    # given
    owner, contact = _pair()
    other = ProfileFactory()
    now = timezone.now()
    done = thank_you_reminder_create(
        owner=owner.user, contact=contact.user, reason="connected", due_at=now
    )
    dismissed = thank_you_reminder_create(
        owner=owner.user, contact=other.user, reason="connected", due_at=now
    )

    # when
    thank_you_done(owner=owner.user, reminder_public_id=done.public_id)
    thank_you_dismiss(owner=owner.user, reminder_public_id=dismissed.public_id)

    # then
    assert followup_list(viewer=Viewer.for_user(owner.user)).thank_yous == []
    with pytest.raises(ReminderNotFound):
        thank_you_done(owner=contact.user, reminder_public_id=done.public_id)
    with pytest.raises(ReminderNotFound):
        thank_you_dismiss(owner=owner.user, reminder_public_id="not a public id")


def test_the_sweep_reminds_once_per_lapse(django_capture_on_commit_callbacks):
    # given
    owner, contact = _pair()
    keep_in_touch_set(owner=owner.user, contact_public_id=contact.user.public_id, cadence_days=14)
    thank_you_reminder_create(
        owner=owner.user, contact=contact.user, reason="connected", due_at=timezone.now()
    )
    later = timezone.now() + timedelta(days=15)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        first = followup_reminders_send(now=later)
        second = followup_reminders_send(now=later)

    # then
    assert (first.keep_in_touch, first.thank_yous) == (1, 1)
    assert (second.keep_in_touch, second.thank_yous) == (0, 0)
    texts = sorted(
        Notification.objects.filter(recipient=owner.user, kind="network.reminder").values_list(
            "text", flat=True
        )
    )
    assert texts == [
        "Send Sam Okafor a thank-you note: we drafted one for you.",
        "Time to get back in touch with Sam Okafor.",
    ]
    assert not Notification.objects.filter(recipient=contact.user).exists()


def test_a_snooze_reminds_when_it_ends_and_the_next_lapse_reminds_again():
    # given: a cadence that lapsed yesterday
    owner, contact = _pair()
    member = contact.user.public_id
    keep_in_touch_set(owner=owner.user, contact_public_id=member, cadence_days=14)
    now = timezone.now()
    KeepInTouch.objects.update(due_at=now - timedelta(days=1))

    # when
    lapse = followup_reminders_send(now=now)
    keep_in_touch_snooze(owner=owner.user, contact_public_id=member, days=7)
    while_snoozed = followup_reminders_send(now=now + timedelta(days=1))
    after_snooze = followup_reminders_send(now=now + timedelta(days=8))
    contact_mark_contacted(owner=owner.user, contact_public_id=member)
    too_soon = followup_reminders_send(now=now + timedelta(days=10))
    next_lapse = followup_reminders_send(now=now + timedelta(days=15))

    # then
    counts = [s.keep_in_touch for s in (lapse, while_snoozed, after_snooze, too_soon, next_lapse)]
    assert counts == [1, 0, 1, 0, 1]


def test_the_sweep_skips_blocked_and_done_reminders():
    # given
    owner, contact = _pair()
    keep_in_touch_set(owner=owner.user, contact_public_id=contact.user.public_id, cadence_days=14)
    other = ProfileFactory()
    reminder = thank_you_reminder_create(
        owner=owner.user, contact=other.user, reason="connected", due_at=timezone.now()
    )
    thank_you_done(owner=owner.user, reminder_public_id=reminder.public_id)
    member_block(user=contact.user, member_public_id=owner.user.public_id)

    # when
    sweep = followup_reminders_send(now=timezone.now() + timedelta(days=30))

    # then
    assert (sweep.keep_in_touch, sweep.thank_yous) == (0, 0)


def test_the_task_and_the_command_run_the_sweep(capsys):
    # given
    owner, contact = _pair()
    thank_you_reminder_create(
        owner=owner.user, contact=contact.user, reason="connected", due_at=timezone.now()
    )

    # when
    sent = send_followup_reminders.call()
    call_command("reminders")

    # then
    assert sent == 1
    assert capsys.readouterr().out.strip().splitlines()[-1] == (
        "0 keep-in-touch reminders · 0 thank-you reminders · 0 introductions expired"
    )


def test_share_an_article_with_a_connection(django_capture_on_commit_callbacks):
    # given
    owner, contact = _pair()

    # when
    with django_capture_on_commit_callbacks(execute=True):
        article = article_share(
            sender=owner.user,
            contact_public_id=contact.user.public_id,
            url="https://example.org/rebuild",
            note="Thought of you!",
        )

    # then
    received = article_list(viewer=Viewer.for_user(contact.user)).received
    assert [(a.url, a.note, a.member.display_name) for a in received] == [
        ("https://example.org/rebuild", "Thought of you!", "Alex Rivera")
    ]
    sent = article_list(viewer=Viewer.for_user(owner.user)).sent
    assert [(a.public_id, a.member.display_name) for a in sent] == [
        (article.public_id, "Sam Okafor")
    ]
    [notice] = Notification.objects.filter(recipient=contact.user)
    assert (notice.kind, notice.text, notice.url) == (
        "network.article",
        "Alex Rivera shared an article with you.",
        "/network/articles/",
    )


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "ftp://example.org/file",
        "example.org",
        "https://",
        "https://exa mple.org",
        "",
        "https://example.org/" + "a" * 2000,
    ],
)
def test_only_http_addresses_can_be_shared(url):
    # given
    owner, contact = _pair()

    # when
    with pytest.raises(ValidationFailed) as refused:
        article_share(sender=owner.user, contact_public_id=contact.user.public_id, url=url)

    # then
    assert refused.value.field == "url"
    assert SharedArticle.objects.count() == 0


def test_articles_go_to_connections_only_and_are_limited(settings):
    # given
    settings.SHARED_ARTICLES_PER_DAY = 1
    owner, contact = _pair()
    stranger = ProfileFactory()
    url = "https://example.org/a"

    # when
    with pytest.raises(NotYourConnection):
        article_share(sender=owner.user, contact_public_id=stranger.user.public_id, url=url)
    article_share(sender=owner.user, contact_public_id=contact.user.public_id, url=url)
    with pytest.raises(ArticlesLimited) as limited:
        article_share(sender=owner.user, contact_public_id=contact.user.public_id, url=url)

    # then
    assert limited.value.message == "You can share at most 1 articles a day. Try again tomorrow."
    assert SharedArticle.objects.count() == 1


def test_reciprocity_counts_what_each_did():
    # given
    introducer, ada, bo = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(introducer, ada)
    connect(introducer, bo)
    intro = introduction_create(
        introducer=introducer.user,
        member_public_ids=[ada.user.public_id, bo.user.public_id],
        reason="Meet!",
    )
    for member in (ada, bo):
        introduction_accept(user=member.user, introduction_public_id=intro.public_id)
    thanks = thank_you_reminder_create(
        owner=ada.user, contact=introducer.user, reason="connected", due_at=timezone.now()
    )
    thank_you_done(owner=ada.user, reminder_public_id=thanks.public_id)
    article_share(
        sender=ada.user, contact_public_id=introducer.user.public_id, url="https://example.org"
    )

    # when
    introducer_rows = reciprocity_get(viewer=Viewer.for_user(introducer.user))
    ada_rows = reciprocity_get(viewer=Viewer.for_user(ada.user))

    # then
    assert [(r.label, r.count) for r in introducer_rows] == [
        ("People you introduced", 2),
        ("Introductions made for you", 0),
        ("People you thanked", 0),
        ("Articles you shared", 0),
        ("Articles shared with you", 1),
        ("Your answers that helped", 0),
        ("Answers that helped you", 0),
    ]
    assert [(r.label, r.count) for r in ada_rows] == [
        ("People you introduced", 0),
        ("Introductions made for you", 1),
        ("People you thanked", 1),
        ("Articles you shared", 1),
        ("Articles shared with you", 0),
        ("Your answers that helped", 0),
        ("Answers that helped you", 0),
    ]


def test_thank_you_draft_without_anything_shared():
    # when
    draft = thank_you_draft(first_name="Member", reason="connected", shared=[])

    # then
    assert (
        draft == "Thanks for connecting! I'm glad our paths crossed, and I'd love to stay in touch."
    )


def test_followup_list_query_count_does_not_grow(django_assert_num_queries):
    # given
    owner = ProfileFactory()
    contacts = ProfileFactory.create_batch(4)
    now = timezone.now()
    for contact in contacts[:2]:
        connect(owner, contact)
        keep_in_touch_set(
            owner=owner.user, contact_public_id=contact.user.public_id, cadence_days=14
        )
        thank_you_reminder_create(
            owner=owner.user, contact=contact.user, reason="connected", due_at=now
        )
    viewer = Viewer.for_user(owner.user)
    with django_assert_num_queries(5) as small:
        followup_list(viewer=viewer)

    # when
    for contact in contacts[2:]:
        connect(owner, contact)
        keep_in_touch_set(
            owner=owner.user, contact_public_id=contact.user.public_id, cadence_days=30
        )
        thank_you_reminder_create(
            owner=owner.user, contact=contact.user, reason="connected", due_at=now
        )

    # then
    with django_assert_num_queries(len(small.captured_queries)):
        found = followup_list(viewer=viewer)
    assert (len(found.keep_in_touch), len(found.thank_yous)) == (4, 4)


def test_a_long_event_title_is_shortened_not_refused():
    # given
    owner, contact = _pair()

    # when
    reminder = thank_you_reminder_create(
        owner=owner.user, contact=contact.user, reason="met at " + "x" * 300, due_at=timezone.now()
    )

    # then
    assert len(reminder.reason) == 200
    assert reminder.reason.endswith("…")
