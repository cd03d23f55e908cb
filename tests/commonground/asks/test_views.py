"""Ask pages: routing, permissions, forms without JavaScript, and what each page shows."""

from __future__ import annotations

import pytest
from django.test import Client

from commonground.asks import services
from commonground.asks.models import Answer, Ask, AskRouting
from tests.commonground.asks.helpers import make_ask, make_group
from tests.commonground.factories import InterestFactory, ProfileFactory, connect
from tests.commonground.html import page_text, shows, without_csrf

pytestmark = pytest.mark.django_db


def _login(profile) -> Client:
    client = Client()
    client.force_login(profile.user)
    return client


def test_ask_pages_need_a_signed_in_member():
    ask = make_ask(ProfileFactory())
    for url in ("/asks/", "/asks/new/", f"/asks/{ask.public_id}/"):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_the_index_shows_asks_routed_to_me_with_the_reason_and_the_other_tabs():
    # given
    author, me = ProfileFactory(display_name="Ana Silva"), ProfileFactory()
    routed = make_ask(author, InterestFactory(name="Sourdough baking"), title="Starter help")
    AskRouting.objects.create(
        ask=routed, member=me.user, score=1.0, reason="You know Sourdough baking (skill)"
    )
    make_ask(author, kind="offer", title="I can review CVs for data science")
    make_ask(me, title="My own question here")
    client = _login(me)

    # when
    asks = client.get("/asks/")
    offers = client.get("/asks/?tab=offers")
    mine = client.get("/asks/?tab=mine")

    # then
    assert asks.status_code == 200
    assert shows(asks, "Asks for you")
    assert shows(asks, "Starter help")
    assert shows(asks, "You know Sourdough baking (skill)")
    assert not shows(asks, "I can review CVs for data science")
    assert shows(offers, "I can review CVs for data science")
    assert not shows(offers, "Starter help")
    assert shows(mine, "My own question here")
    assert not shows(mine, "Starter help")
    assert 'aria-current="page">Mine<' in page_text(mine)


def test_the_index_searches_by_words_and_interest_and_a_junk_tab_falls_back():
    author, me = ProfileFactory(), ProfileFactory()
    data = InterestFactory(name="Data science")
    make_ask(author, data, title="CV review for data roles")
    make_ask(author, title="Someone to walk my dog")
    client = _login(me)
    by_word = client.get("/asks/?q=dog")
    by_interest = client.get(f"/asks/?i={data.slug}")
    typed = client.get("/asks/?add=data+science&tab=asks")
    junk = client.get("/asks/?tab=everything&page=-3")
    assert shows(by_word, "Someone to walk my dog")
    assert not shows(by_word, "CV review for data roles")
    assert shows(by_interest, "CV review for data roles")
    assert not shows(by_interest, "Someone to walk my dog")
    assert shows(by_interest, "1 found")
    assert typed.status_code == 302
    assert typed["Location"] == f"/asks/?i={data.slug}&tab=asks"
    assert junk.status_code == 200
    assert shows(junk, "Check the search below.")


def test_posting_an_ask_through_the_form():
    # given
    me = ProfileFactory()
    InterestFactory(name="Data science")
    client = _login(me)

    # when
    page = client.get("/asks/new/")
    response = client.post(
        "/asks/new/",
        {
            "kind": "ask",
            "topic": "advice",
            "title": "Advice on moving into data science",
            "body": "I have a *PhD* in physics.",
            "interests": "Data science",
            "audience": "community",
            "group": "",
        },
    )

    # then
    assert page.status_code == 200
    ask = Ask.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/asks/{ask.public_id}/"
    assert list(ask.interests.values_list("name", flat=True)) == ["Data science"]
    detail = client.get(response["Location"])
    assert shows(detail, "Advice on moving into data science")
    assert "<em>PhD</em>" in page_text(detail)
    assert shows(detail, "Finding the members most likely to help…")


def test_the_form_offers_only_my_groups_and_shows_errors_on_their_fields():
    owner, me = ProfileFactory(), ProfileFactory()
    mine = make_group(owner, me)
    secret = make_group(owner, visibility="secret")
    secret.name = "Hidden circle"
    secret.save()
    client = _login(me)
    page = client.get("/asks/new/")
    assert f'value="{mine.slug}"' in page_text(page)
    assert "Hidden circle" not in page_text(page)
    response = client.post(
        "/asks/new/",
        {
            "kind": "ask",
            "topic": "advice",
            "title": "Hi",
            "interests": "qqqzzzx",
            "audience": "group",
            "group": secret.slug,
        },
    )
    assert response.status_code == 200
    assert shows(response, "Select a valid choice.")
    assert Ask.objects.count() == 0
    unknown = client.post(
        "/asks/new/",
        {
            "kind": "ask",
            "topic": "advice",
            "title": "Good title here",
            "interests": "qqqzzzx",
            "audience": "community",
        },
    )
    assert shows(unknown, "We don't know “qqqzzzx” yet.")
    assert Ask.objects.count() == 0


def test_the_sixth_post_in_a_day_answers_429_with_the_reason():
    me = ProfileFactory()
    for n in range(5):
        make_ask(me, title=f"Ask number {n}")
    response = _login(me).post(
        "/asks/new/",
        {"kind": "ask", "topic": "advice", "title": "One too many", "audience": "community"},
    )
    assert response.status_code == 429
    assert shows(response, "You can post at most 5 asks and offers a day.")
    assert Ask.objects.count() == 5


def test_an_outsider_gets_the_same_404_as_for_a_missing_ask():
    # given: a network ask, and a member who is not connected
    author, friend, outsider = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(author, friend)
    ask = make_ask(author, audience="network", title="Canary-7f3a network ask")
    client = _login(outsider)

    # when
    hidden = client.get(f"/asks/{ask.public_id}/")
    missing = client.get("/asks/NoSuchAsk123/")
    answer = client.post(f"/asks/{ask.public_id}/answer/", {"body": "hi"})
    listed = client.get("/asks/?q=Canary")

    # then
    assert hidden.status_code == missing.status_code == answer.status_code == 404
    assert without_csrf(hidden) == without_csrf(missing)
    assert "Canary-7f3a" not in page_text(listed)
    assert Answer.objects.count() == 0
    assert _login(friend).get(f"/asks/{ask.public_id}/").status_code == 200


def test_answer_edit_mark_helpful_and_resolve_without_javascript():
    # given
    author, helper = ProfileFactory(display_name="Ana"), ProfileFactory(display_name="Ben")
    ask = make_ask(author)
    ben, ana = _login(helper), _login(author)

    # when: Ben answers, then edits
    posted = ben.post(f"/asks/{ask.public_id}/answer/", {"body": "Start with **SQL**."})
    edited = ben.post(f"/asks/{ask.public_id}/answer/", {"body": "Start with SQL, then Python."})
    answer = Answer.objects.get()
    # and Ana marks it helpful and resolves the ask
    marked = ana.post(
        f"/asks/{ask.public_id}/answers/{answer.public_id}/helpful/", {"helpful": "1"}
    )
    resolved = ana.post(f"/asks/{ask.public_id}/status/", {"status": "resolved"})

    # then
    assert posted.status_code == edited.status_code == marked.status_code == 302
    assert resolved.status_code == 302
    assert Answer.objects.count() == 1
    answer.refresh_from_db()
    assert (answer.body, answer.helpful) == ("Start with SQL, then Python.", True)
    page = ben.get(f"/asks/{ask.public_id}/")
    assert shows(page, "✓ This helped")
    assert shows(page, "Resolved")
    assert shows(page, "Edit your answer")
    assert Ask.objects.get().status == "resolved"


def test_an_empty_answer_re_renders_with_the_error_and_others_cannot_mark_or_close():
    author, helper, other = ProfileFactory(), ProfileFactory(), ProfileFactory()
    ask = make_ask(author)
    empty = _login(helper).post(f"/asks/{ask.public_id}/answer/", {"body": "  "})
    assert empty.status_code == 200
    assert shows(empty, "Write your answer first.")
    answer = services.answer_create(user=helper.user, ask_public_id=ask.public_id, body="Hi")
    client = _login(other)
    marked = client.post(
        f"/asks/{ask.public_id}/answers/{answer.public_id}/helpful/", {"helpful": "1"}, follow=True
    )
    closed = client.post(f"/asks/{ask.public_id}/status/", {"status": "closed"}, follow=True)
    junk = _login(author).post(f"/asks/{ask.public_id}/status/", {"status": "gone"}, follow=True)
    assert shows(marked, "Only the member who posted it can mark what helped.")
    assert shows(closed, "Only the member who posted it can do that.")
    assert shows(junk, "Choose open, resolved or closed.")
    assert Answer.objects.get().helpful is False
    assert Ask.objects.get().status == "open"


def test_a_group_ask_page_names_the_group_to_its_members():
    owner, member = ProfileFactory(), ProfileFactory()
    group = make_group(owner, member)
    ask = make_ask(member, audience="group", group_slug=group.slug)
    page = _login(owner).get(f"/asks/{ask.public_id}/")
    assert f'in <a href="/groups/{group.slug}/">Data people</a>' in page_text(page)


def test_the_author_sees_how_many_were_asked_never_who():
    author, helper = ProfileFactory(), ProfileFactory(display_name="Quiet Helper")
    ask = make_ask(author)
    AskRouting.objects.create(ask=ask, member=helper.user, score=1.0, reason="You know it")
    page = _login(author).get(f"/asks/{ask.public_id}/")
    assert shows(page, "Sent to 1 member most likely to help.")
    assert not shows(page, "Quiet Helper")
    assert not shows(page, "You know it")


def test_asks_i_answered_are_marked_in_the_feed():
    author, me = ProfileFactory(), ProfileFactory()
    ask = make_ask(author, title="Answered by me already")
    services.answer_create(user=me.user, ask_public_id=ask.public_id, body="Done")
    page = _login(me).get("/asks/")
    assert shows(page, "Answered by me already")
    assert shows(page, "You answered")
