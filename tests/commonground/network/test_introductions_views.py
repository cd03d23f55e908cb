"""Introduction and follow-up pages: routing, permissions and what each page shows."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from commonground.network.followup_models import ContactNote, KeepInTouch, SharedArticle
from commonground.network.models import Introduction
from commonground.network.services import (
    contact_note_create,
    introduction_accept,
    introduction_create,
    keep_in_touch_set,
    member_block,
    thank_you_reminder_create,
)
from tests.commonground.factories import InterestFactory, ProfileFactory, connect, give_interests
from tests.commonground.html import page_text, shows, without_csrf

pytestmark = pytest.mark.django_db


def _client(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]]


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


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("get", "/network/introductions/"),
        ("get", "/network/introductions/new/"),
        ("post", "/network/introductions/new/"),
        ("get", "/network/introductions/abc/"),
        ("post", "/network/introductions/abc/accept/"),
        ("post", "/network/introductions/abc/decline/"),
        ("get", "/network/follow-ups/"),
        ("post", "/network/follow-ups/notes/abc/"),
        ("post", "/network/follow-ups/notes/abc/delete/"),
        ("post", "/network/follow-ups/keep-in-touch/abc/"),
        ("post", "/network/follow-ups/contacted/abc/"),
        ("post", "/network/follow-ups/snooze/abc/"),
        ("post", "/network/follow-ups/thank-yous/abc/done/"),
        ("post", "/network/follow-ups/thank-yous/abc/dismiss/"),
        ("get", "/network/share/abc/"),
        ("get", "/network/articles/"),
    ],
)
def test_every_page_needs_a_login(client, method, url):
    # when
    response = getattr(client, method)(url)

    # then
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_introduce_page_offers_connections_and_drafts_a_reason():
    # given
    introducer, ada, bo = _trio()
    hockey = InterestFactory(name="Hockey")
    give_interests(ada, hockey)
    give_interests(bo, hockey)
    client = _client(introducer)

    # when
    empty = client.get("/network/introductions/new/")
    drafted = client.post(
        "/network/introductions/new/",
        {"members": [ada.user.public_id, bo.user.public_id], "reason": "", "draft": "1"},
    )

    # then
    assert empty.status_code == 200
    assert shows(empty, "Ada Lovelace")
    assert shows(empty, "Bo Diddley")
    assert drafted.status_code == 200
    assert drafted.context["form"]["reason"].value() == (
        "Ada and Bo: you both love Hockey. I think you'd enjoy swapping notes, so I wanted you "
        "to meet."
    )
    assert Introduction.objects.count() == 0


def test_introduce_from_a_profile_preselects_the_member():
    # given
    introducer, ada, _bo = _trio()

    # when
    response = _client(introducer).get(f"/network/introductions/new/?m={ada.user.public_id}")

    # then
    assert response.status_code == 200
    assert f'value="{ada.user.public_id}" id="pick-{ada.user.public_id}" checked' in page_text(
        response
    )


def test_sending_an_introduction():
    # given
    introducer, ada, bo = _trio()

    # when
    response = _client(introducer).post(
        "/network/introductions/new/",
        {"members": [ada.user.public_id, bo.user.public_id], "reason": "Meet each other!"},
        follow=True,
    )

    # then
    intro = Introduction.objects.get()
    assert response.redirect_chain == [(f"/network/introductions/{intro.public_id}/", 302)]
    assert _messages(response) == [
        "Introduction sent. Each person is asked first; we'll tell you how it goes."
    ]
    assert shows(response, "Meet each other!")


@pytest.mark.parametrize(
    ("members", "reason", "error"),
    [
        (
            1,
            "Meet!",
            "Introduce two people to each other, or a small group of three or four (you chose 1).",
        ),
        (2, "", "This field is required."),
        (2, "x" * 501, "Ensure this value has at most 500 characters (it has 501)."),
    ],
)
def test_bad_introductions_re_render_with_the_error(members, reason, error):
    # given
    introducer, ada, bo = _trio()
    ids = [ada.user.public_id, bo.user.public_id][:members]

    # when
    response = _client(introducer).post(
        "/network/introductions/new/", {"members": ids, "reason": reason}
    )

    # then
    assert response.status_code == 200
    assert shows(response, error)
    assert Introduction.objects.count() == 0


def test_the_daily_limit_answers_429(settings):
    # given
    settings.INTRODUCTIONS_PER_DAY = 0
    introducer, ada, bo = _trio()

    # when
    response = _client(introducer).post(
        "/network/introductions/new/",
        {"members": [ada.user.public_id, bo.user.public_id], "reason": "Meet!"},
    )

    # then
    assert response.status_code == 429
    assert shows(response, "You can make at most 0 introductions a day. Try again tomorrow.")


def test_an_introduced_member_sees_no_names_until_everyone_accepts():
    # given
    introducer, ada, bo = _trio()
    intro = _introduce(introducer, ada, bo)
    url = f"/network/introductions/{intro.public_id}/"

    # when
    before = _client(ada).get(url)
    accepted = _client(ada).post(f"{url}accept/", follow=True)
    _client(bo).post(f"{url}accept/")
    after = _client(ada).get(url)
    introducer_view = _client(introducer).get("/network/introductions/")

    # then
    assert shows(before, "Ivy Introducer would like to introduce you to someone")
    assert shows(before, "Musician in Chicago")
    assert not shows(before, "Bo Diddley")
    assert _messages(accepted) == ["You said yes. We'll let you know when everyone has."]
    assert shows(after, "Ivy Introducer introduced you to Bo Diddley")
    assert shows(introducer_view, "You introduced Ada Lovelace and Bo Diddley")
    assert shows(introducer_view, "Accepted")


def test_declining_is_quiet_on_the_pages():
    # given
    introducer, ada, bo = _trio()
    intro = _introduce(introducer, ada, bo)

    # when
    declined = _client(bo).post(f"/network/introductions/{intro.public_id}/decline/", follow=True)
    seen_by_ada = _client(ada).get(f"/network/introductions/{intro.public_id}/")

    # then
    assert _messages(declined) == ["You said no thanks. Nobody is told who declined."]
    assert shows(seen_by_ada, "This introduction did not go ahead.")
    assert not shows(seen_by_ada, "Bo Diddley")


def test_outsiders_get_the_same_404_as_for_a_missing_introduction():
    # given
    introducer, ada, bo = _trio()
    intro = _introduce(introducer, ada, bo, reason="canary-7f3a")
    outsider = _client(ProfileFactory())

    # when
    hidden = outsider.get(f"/network/introductions/{intro.public_id}/")
    missing = outsider.get("/network/introductions/nothinghere/")
    accept = outsider.post(f"/network/introductions/{intro.public_id}/accept/")
    decline = outsider.post(f"/network/introductions/{intro.public_id}/decline/")
    listed = outsider.get("/network/introductions/")

    # then
    assert (hidden.status_code, missing.status_code) == (404, 404)
    assert without_csrf(hidden) == without_csrf(missing)
    assert (accept.status_code, decline.status_code) == (404, 404)
    assert "canary-7f3a" not in page_text(listed)


def test_introductions_page_query_count_does_not_grow():
    # given
    introducer = ProfileFactory()
    people = ProfileFactory.create_batch(6)
    for person in people:
        connect(introducer, person)
    _introduce(introducer, people[0], people[1])
    client = _client(introducer)
    client.get("/network/introductions/")
    with CaptureQueriesContext(connection) as small:
        client.get("/network/introductions/")

    # when
    _introduce(introducer, people[2], people[3], people[4])
    _introduce(introducer, people[5], people[0])
    with CaptureQueriesContext(connection) as large:
        response = client.get("/network/introductions/")

    # then
    assert len(response.context["found"].made) == 3
    assert len(large.captured_queries) == len(small.captured_queries)


def test_followups_page_lists_due_reminders_with_a_draft():
    # given
    owner = ProfileFactory(display_name="Alex")
    sam = ProfileFactory(display_name="Sam Okafor")
    connect(owner, sam)
    keep_in_touch_set(owner=owner.user, contact_public_id=sam.user.public_id, cadence_days=14)
    KeepInTouch.objects.update(due_at=timezone.now() - timedelta(days=1))
    reminder = thank_you_reminder_create(
        owner=owner.user, contact=sam.user, reason="connected", due_at=timezone.now()
    )
    client = _client(owner)

    # when
    page = client.get("/network/follow-ups/")
    contacted = client.post(f"/network/follow-ups/contacted/{sam.user.public_id}/", follow=True)
    done = client.post(f"/network/follow-ups/thank-yous/{reminder.public_id}/done/", follow=True)

    # then
    assert shows(page, "Time to get in touch")
    assert shows(page, "Thanks for connecting, Sam! I'm glad our paths crossed")
    assert _messages(contacted) == ["Marked as contacted. Next reminder in 14 days."]
    assert _messages(done) == ["Lovely. Marked as thanked."]
    assert not shows(done, "Thanks for connecting, Sam!")


def test_another_members_reminder_is_not_found():
    # given
    owner, other = ProfileFactory(), ProfileFactory()
    reminder = thank_you_reminder_create(
        owner=owner.user, contact=other.user, reason="connected", due_at=timezone.now()
    )

    # when
    response = _client(other).post(f"/network/follow-ups/thank-yous/{reminder.public_id}/done/")

    # then
    assert response.status_code == 404


def test_notes_and_cadence_on_the_member_page_are_the_owners_only():
    # given
    owner, sam, snoop = ProfileFactory(), ProfileFactory(display_name="Sam"), ProfileFactory()
    connect(owner, sam)
    connect(snoop, sam)
    client = _client(owner)
    profile_url = f"/people/{sam.user.public_id}/"

    # when
    saved = client.post(
        f"/network/follow-ups/notes/{sam.user.public_id}/",
        {"body": "canary-note-91c", "next": profile_url},
        follow=True,
    )
    cadence = client.post(
        f"/network/follow-ups/keep-in-touch/{sam.user.public_id}/",
        {"cadence_days": "60", "next": profile_url},
        follow=True,
    )
    seen_by_snoop = _client(snoop).get(profile_url)
    seen_by_sam = _client(sam).get(f"/people/{owner.user.public_id}/")

    # then
    assert saved.redirect_chain == [(profile_url, 302)]
    assert _messages(saved) == ["Note saved. Only you can read it."]
    assert shows(saved, "canary-note-91c")
    assert _messages(cadence) == ["We'll remind you to get in touch every 60 days."]
    assert '<option value="60" selected>' in page_text(cadence)
    assert "canary-note-91c" not in page_text(seen_by_snoop)
    assert "canary-note-91c" not in page_text(seen_by_sam)
    for path in ("/network/", "/network/follow-ups/", "/network/introductions/"):
        assert "canary-note-91c" not in page_text(_client(sam).get(path))


def test_an_empty_note_is_refused_with_a_message():
    # given
    owner, sam = ProfileFactory(), ProfileFactory()
    connect(owner, sam)

    # when
    response = _client(owner).post(
        f"/network/follow-ups/notes/{sam.user.public_id}/", {"body": ""}, follow=True
    )

    # then
    assert _messages(response) == ["This field is required."]
    assert ContactNote.objects.count() == 0


def test_notes_on_a_blocked_member_are_a_404_and_a_note_can_be_deleted():
    # given
    owner, sam, blocker = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(owner, sam)
    note = contact_note_create(owner=owner.user, contact_public_id=sam.user.public_id, body="x")
    member_block(user=blocker.user, member_public_id=owner.user.public_id)
    client = _client(owner)

    # when
    blocked = client.post(f"/network/follow-ups/notes/{blocker.user.public_id}/", {"body": "y"})
    deleted = client.post(f"/network/follow-ups/notes/{note.public_id}/delete/", follow=True)

    # then
    assert blocked.status_code == 404
    assert _messages(deleted) == ["Note deleted."]
    assert ContactNote.objects.count() == 0


def test_sharing_an_article_page():
    # given
    owner, sam = ProfileFactory(), ProfileFactory(display_name="Sam")
    connect(owner, sam)
    client = _client(owner)
    url = f"/network/share/{sam.user.public_id}/"

    # when
    form = client.get(url)
    bad = client.post(url, {"url": "javascript:alert(1)", "note": ""})
    good = client.post(url, {"url": "https://example.org/x", "note": "Thought of you"}, follow=True)
    received = _client(sam).get("/network/articles/")

    # then
    assert form.status_code == 200
    assert shows(form, "Share an article with Sam")
    assert shows(bad, "Enter a full web address starting with http:// or https://.")
    assert _messages(good) == ["Shared with Sam."]
    assert SharedArticle.objects.count() == 1
    assert 'href="https://example.org/x" rel="nofollow ugc noopener"' in page_text(received)


def test_sharing_with_a_hidden_member_is_a_404():
    # given
    owner, blocker = ProfileFactory(), ProfileFactory()
    member_block(user=blocker.user, member_public_id=owner.user.public_id)

    # when
    response = _client(owner).get(f"/network/share/{blocker.user.public_id}/")

    # then
    assert response.status_code == 404


def test_an_accepted_introduction_links_its_conversation():
    # given
    introducer, ada, bo = _trio()
    intro = _introduce(introducer, ada, bo)
    for member in (ada, bo):
        introduction_accept(user=member.user, introduction_public_id=intro.public_id)
    Introduction.objects.filter(pk=intro.pk).update(conversation_id="conv12345")

    # when
    response = _client(ada).get(f"/network/introductions/{intro.public_id}/")

    # then
    assert 'href="/messages/conv12345/"' in page_text(response)


def test_the_network_page_says_what_is_waiting():
    # given
    introducer, ada, bo = _trio()
    _introduce(introducer, ada, bo)
    thank_you_reminder_create(
        owner=ada.user, contact=bo.user, reason="connected", due_at=timezone.now()
    )
    thank_you_reminder_create(
        owner=ada.user, contact=introducer.user, reason="connected", due_at=timezone.now()
    )

    # when
    page = _client(ada).get("/network/")
    quiet = _client(bo).get("/network/")

    # then
    assert shows(page, "1 introduction to answer")
    assert shows(page, "2 follow-ups due")
    assert shows(quiet, "1 introduction to answer")
    assert not shows(quiet, "follow-ups due")
