"""/api/v1/asks: routing, permissions, exact answers and errors {code, message, field}."""

from __future__ import annotations

import pytest

from commonground.asks.models import Answer, Ask, AskRouting
from tests.commonground.asks.helpers import make_ask, make_group
from tests.commonground.factories import InterestFactory, ProfileFactory, connect

pytestmark = pytest.mark.django_db


def test_post_an_ask_and_read_it_back(api_as):
    # given
    me = ProfileFactory(display_name="Ana Silva")
    data = InterestFactory(name="Data science")
    api = api_as(me)

    # when
    created = api.post(
        "/asks",
        {
            "kind": "ask",
            "topic": "referral",
            "title": "A referral to a data team",
            "body": "I have a *PhD*.",
            "interests": [data.slug],
        },
    )

    # then
    assert created.status_code == 201
    body = created.json()
    ask = Ask.objects.get()
    assert body == {
        "id": ask.public_id,
        "kind": "ask",
        "topic": "referral",
        "title": "A referral to a data team",
        "body": "I have a *PhD*.",
        "body_html": "<p>I have a <em>PhD</em>.</p>\n",
        "audience": "community",
        "group": None,
        "status": "open",
        "author_id": me.user.public_id,
        "author_name": "Ana Silva",
        "is_author": True,
        "interests": [{"slug": data.slug, "name": "Data science"}],
        "routed_reason": "",
        "answers": [],
        "created_at": body["created_at"],
        "resolved_at": None,
    }
    assert api.get(f"/asks/{ask.public_id}").json() == body


def test_the_list_has_tabs_and_says_what_was_routed_to_you(api_as):
    author, me = ProfileFactory(display_name="Ana"), ProfileFactory()
    routed = make_ask(author, title="Starter help please")
    AskRouting.objects.create(ask=routed, member=me.user, score=1.0, reason="You know it")
    make_ask(author, kind="offer", title="I can review CVs")
    api = api_as(me)
    asks = api.get("/asks").json()
    offers = api.get("/asks", tab="offers").json()
    mine = api.get("/asks", tab="mine").json()
    assert (asks["count"], asks["page"], asks["pages"]) == (1, 1, 1)
    first = asks["results"][0]
    assert (first["id"], first["title"], first["routed_to_you"], first["routed_reason"]) == (
        routed.public_id,
        "Starter help please",
        True,
        "You know it",
    )
    assert (first["author_name"], first["answer_count"], first["status"]) == ("Ana", 0, "open")
    assert [r["title"] for r in offers["results"]] == ["I can review CVs"]
    assert mine["count"] == 0


def test_answer_edit_mark_helpful_and_resolve(api_as):
    # given
    author, helper = ProfileFactory(), ProfileFactory(display_name="Ben")
    ask = make_ask(author)
    ben, ana = api_as(helper), api_as(author)

    # when
    created = ben.post(f"/asks/{ask.public_id}/answers", {"body": "Learn SQL."})
    answer_id = created.json()["id"]
    twice = ben.post(f"/asks/{ask.public_id}/answers", {"body": "Again"})
    edited = ben.patch(f"/asks/{ask.public_id}/answers/{answer_id}", {"body": "Learn SQL first."})
    not_yours = ben.post(f"/asks/{ask.public_id}/answers/{answer_id}/helpful", {})
    marked = ana.post(f"/asks/{ask.public_id}/answers/{answer_id}/helpful", {})
    resolved = ana.post(f"/asks/{ask.public_id}/resolve")
    late = api_as(ProfileFactory()).post(f"/asks/{ask.public_id}/answers", {"body": "Late"})

    # then
    assert created.status_code == 201
    assert created.json()["author_name"] == "Ben"
    assert created.json()["is_mine"] is True
    assert twice.status_code == 409
    assert twice.json() == {
        "code": "already_answered",
        "message": "You already answered this; edit your answer instead.",
        "field": "body",
    }
    assert edited.status_code == 200
    assert edited.json()["body"] == "Learn SQL first."
    assert not_yours.status_code == 403
    assert not_yours.json()["code"] == "not_ask_author"
    assert marked.status_code == 200
    assert marked.json()["helpful"] is True
    assert resolved.status_code == 200
    assert resolved.json()["status"] == "resolved"
    assert resolved.json()["answers"][0]["helpful"] is True
    assert late.status_code == 409
    assert late.json()["code"] == "ask_not_open"
    assert Answer.objects.count() == 1


def test_close_and_reopen_by_the_author_only(api_as):
    author, other = ProfileFactory(), ProfileFactory()
    ask = make_ask(author)
    assert api_as(other).post(f"/asks/{ask.public_id}/close").status_code == 403
    assert api_as(author).post(f"/asks/{ask.public_id}/close").json()["status"] == "closed"
    assert api_as(author).post(f"/asks/{ask.public_id}/reopen").json()["status"] == "open"


def test_hidden_asks_answer_the_same_404_as_missing_ones_on_every_endpoint(api_as):
    # given: a secret-group ask and an outsider
    owner, member, outsider = ProfileFactory(), ProfileFactory(), ProfileFactory()
    group = make_group(owner, member, visibility="secret")
    ask = make_ask(member, audience="group", group_slug=group.slug, title="Canary-91ab ask")
    answer = Answer.objects.create(ask=ask, author=owner.user, body="Canary-91ab answer")
    api = api_as(outsider)
    not_found = {"code": "ask_not_found", "message": "No such ask.", "field": None}

    # when
    calls = [
        api.get(f"/asks/{ask.public_id}"),
        api.post(f"/asks/{ask.public_id}/answers", {"body": "hi"}),
        api.patch(f"/asks/{ask.public_id}/answers/{answer.public_id}", {"body": "hi"}),
        api.post(f"/asks/{ask.public_id}/answers/{answer.public_id}/helpful", {}),
        api.post(f"/asks/{ask.public_id}/resolve"),
        api.get("/asks/NoSuchAsk0001"),
    ]
    listed = [api.get("/asks", q="Canary"), api.get("/asks", tab="mine")]

    # then
    assert [c.status_code for c in calls] == [404] * 6
    assert all(c.json() == not_found for c in calls)
    assert all("Canary-91ab" not in r.content.decode() for r in listed)
    assert Answer.objects.count() == 1


def test_network_asks_reach_connections_only(api_as):
    author, friend, stranger = ProfileFactory(), ProfileFactory(), ProfileFactory()
    connect(author, friend)
    ask = make_ask(author, audience="network")
    assert api_as(friend).get(f"/asks/{ask.public_id}").status_code == 200
    assert api_as(stranger).get(f"/asks/{ask.public_id}").status_code == 404


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({}, 422, "title"),
        ({"title": "x" * 141}, 422, "title"),
        ({"title": "Nul\x00 byte here"}, 422, "title"),
        ({"title": "A fine title", "body": "b" * 5001}, 422, "body"),
        ({"title": "A fine title", "kind": "demand"}, 422, "kind"),
        ({"title": "A fine title", "topic": "gossip"}, 422, "topic"),
        ({"title": "A fine title", "audience": "world"}, 422, "audience"),
        ({"title": "A fine title", "interests": ["a", "b", "c", "d", "e", "f"]}, 422, "interests"),
        ({"title": "A fine title", "interests": ["no-such-interest"]}, 404, "interests"),
        ({"title": "A fine title", "audience": "group"}, 400, "group"),
        ({"title": "A fine title", "audience": "group", "group": "../etc"}, 422, "group"),
        ({"title": "Hi"}, 400, "title"),
    ],
)
def test_bad_input_gets_a_clear_error_and_writes_nothing(api_as, payload, status, field):
    response = api_as(ProfileFactory()).post("/asks", payload)
    assert response.status_code == status
    assert response.json()["field"] == field
    assert response.json()["message"]
    assert Ask.objects.count() == 0


def test_the_sixth_post_in_a_day_answers_429(api_as):
    api = api_as(ProfileFactory())
    statuses = [api.post("/asks", {"title": f"Ask number {n}"}).status_code for n in range(6)]
    last = api.post("/asks", {"title": "Ask number 7"})
    assert statuses == [201] * 5 + [429]
    assert last.json() == {
        "code": "too_many_asks",
        "message": "You can post at most 5 asks and offers a day. Try again in 24 hours.",
        "field": None,
    }
    assert Ask.objects.count() == 5


def test_bad_query_parameters_answer_422(api_as):
    api = api_as(ProfileFactory())
    assert api.get("/asks", tab="all").status_code == 422
    assert api.get("/asks", page_size="1000").status_code == 422
    assert api.get("/asks", interests="no-such").status_code == 404
