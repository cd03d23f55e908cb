"""/api/v1/introductions, /api/v1/followups and /api/v1/articles: routing, permissions and the
exact responses."""

from __future__ import annotations

import pytest

from commonground.network.followup_models import ContactNote, KeepInTouch, SharedArticle
from commonground.network.models import Introduction
from tests.commonground.factories import InterestFactory, ProfileFactory, connect, give_interests

pytestmark = pytest.mark.django_db

MISSING = {"code": "introduction_not_found", "message": "No such introduction.", "field": None}


def _trio():
    introducer = ProfileFactory(display_name="Ivy")
    ada = ProfileFactory(display_name="Ada", profession="Engineer", city="London")
    bo = ProfileFactory(display_name="Bo", profession="Musician", city="Chicago")
    connect(introducer, ada)
    connect(introducer, bo)
    return introducer, ada, bo


def _put(api, path, body):
    return api._send("put", path, body)


def _create(api, ada, bo, reason="You both love hockey."):
    return api.post(
        "/introductions",
        {"member_ids": [ada.user.public_id, bo.user.public_id], "reason": reason},
    )


def test_double_opt_in_over_the_api(api_as):
    # given
    introducer, ada, bo = _trio()
    hockey = InterestFactory(name="Hockey")
    give_interests(ada, hockey)
    give_interests(bo, hockey)
    as_ivy, as_ada, as_bo = api_as(introducer), api_as(ada), api_as(bo)

    # when
    created = _create(as_ivy, ada, bo)
    intro_id = created.json()["id"]
    proposed = as_ada.get("/introductions").json()
    accepted_by_ada = as_ada.post(f"/introductions/{intro_id}/accept")
    accepted_by_bo = as_bo.post(f"/introductions/{intro_id}/accept")
    seen_by_ada = as_ada.get(f"/introductions/{intro_id}").json()

    # then
    assert created.status_code == 201
    body = created.json()
    assert body == {
        "id": intro_id,
        "role": "introducer",
        "introducer": {"id": introducer.user.public_id, "display_name": "Ivy"},
        "reason": "You both love hockey.",
        "state": "pending",
        "my_answer": None,
        "people": [
            {
                "id": ada.user.public_id,
                "display_name": "Ada",
                "profession": "Engineer",
                "city": "London",
                "shared_interests": [],
            },
            {
                "id": bo.user.public_id,
                "display_name": "Bo",
                "profession": "Musician",
                "city": "Chicago",
                "shared_interests": [],
            },
        ],
        "accepted": 0,
        "total": 2,
        "created_at": body["created_at"],
        "expires_at": body["expires_at"],
        "conversation_id": "",
    }
    assert proposed["made"] == []
    [waiting] = proposed["proposed"]
    assert (waiting["role"], waiting["my_answer"]) == ("introduced", "pending")
    [other] = waiting["people"]
    assert (other["id"], other["display_name"], other["profession"], other["city"]) == (
        None,
        None,
        "Musician",
        "Chicago",
    )
    assert [i["name"] for i in other["shared_interests"]] == ["Hockey"]
    assert accepted_by_ada.status_code == 200
    assert accepted_by_ada.json()["state"] == "pending"
    assert accepted_by_bo.json()["state"] == "accepted"
    assert [(p["id"], p["display_name"]) for p in seen_by_ada["people"]] == [
        (bo.user.public_id, "Bo")
    ]
    assert seen_by_ada["conversation_id"] == ""  # opened on commit, after this test's transaction


def test_decline_is_quiet_over_the_api(api_as):
    # given
    introducer, ada, bo = _trio()
    intro_id = _create(api_as(introducer), ada, bo).json()["id"]

    # when
    declined = api_as(bo).post(f"/introductions/{intro_id}/decline")
    late = api_as(ada).post(f"/introductions/{intro_id}/accept")

    # then
    assert declined.status_code == 200
    assert (declined.json()["state"], declined.json()["my_answer"]) == ("declined", "declined")
    assert late.status_code == 409
    assert late.json() == {
        "code": "introduction_not_pending",
        "message": "This introduction did not go ahead.",
        "field": None,
    }
    seen_by_ada = api_as(ada).get(f"/introductions/{intro_id}").json()
    assert (seen_by_ada["state"], seen_by_ada["people"][0]["display_name"]) == ("declined", None)


def test_outsiders_get_404_everywhere(api_as):
    # given
    introducer, ada, bo = _trio()
    intro_id = _create(api_as(introducer), ada, bo).json()["id"]
    outsider = api_as(ProfileFactory())

    # when
    answers = [
        outsider.get(f"/introductions/{intro_id}"),
        outsider.post(f"/introductions/{intro_id}/accept"),
        outsider.post(f"/introductions/{intro_id}/decline"),
        api_as(introducer).post(f"/introductions/{intro_id}/accept"),
        outsider.get("/introductions/doesnotexist"),
    ]

    # then
    assert [(a.status_code, a.json()) for a in answers] == [(404, MISSING)] * 5
    assert outsider.get("/introductions").json() == {"made": [], "proposed": []}


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"member_ids": ["a"], "reason": "x"}, 422, "invalid", "member_ids"),
        ({"member_ids": ["a", "b", "c", "d", "e"], "reason": "x"}, 422, "invalid", "member_ids"),
        ({"member_ids": ["a", "b"], "reason": ""}, 422, "invalid", "reason"),
        ({"member_ids": ["a", "b"], "reason": "x" * 501}, 422, "invalid", "reason"),
        ({"member_ids": ["a", "b"], "reason": "nul\x00"}, 422, "invalid", "reason"),
        ({"member_ids": ["a/../b", "b"], "reason": "x"}, 422, "invalid", "member_ids.0"),
        ({"member_ids": ["nobody1", "nobody2"], "reason": "x"}, 404, "member_not_found", "member"),
    ],
)
def test_bad_input_gets_a_clear_4xx_and_writes_nothing(api_as, body, status, code, field):
    # given
    introducer, _ada, _bo = _trio()

    # when
    answer = api_as(introducer).post("/introductions", body)

    # then
    assert answer.status_code == status
    assert (answer.json()["code"], answer.json()["field"]) == (code, field)
    assert Introduction.objects.count() == 0


def test_not_a_connection_and_rate_limit(api_as, settings):
    # given
    settings.INTRODUCTIONS_PER_DAY = 1
    introducer, ada, bo = _trio()
    stranger = ProfileFactory()
    api = api_as(introducer)

    # when
    not_mine = _create(api, ada, stranger)
    first = _create(api, ada, bo)
    cy = ProfileFactory()
    connect(introducer, cy)
    limited = _create(api, ada, cy)

    # then
    assert (not_mine.status_code, not_mine.json()) == (
        400,
        {
            "code": "not_connected",
            "message": "You can only introduce your own connections.",
            "field": "members",
        },
    )
    assert first.status_code == 201
    assert (limited.status_code, limited.json()) == (
        429,
        {
            "code": "rate_limited",
            "message": "You can make at most 1 introductions a day. Try again tomorrow.",
            "field": None,
        },
    )


def test_anonymous_callers_get_401(client):
    # when
    answer = client.get("/api/v1/introductions")

    # then
    assert answer.status_code == 401
    assert answer.json()["code"] == "unauthenticated"


def test_notes_crud_is_private(api_as):
    # given
    owner, contact = ProfileFactory(), ProfileFactory()
    connect(owner, contact)
    me, them = api_as(owner), api_as(contact)
    path = f"/followups/contacts/{contact.user.public_id}/notes"

    # when
    created = me.post(path, {"body": "Loves telescopes."})
    note_id = created.json()["id"]
    edited = me.patch(f"/followups/notes/{note_id}", {"body": "Loves big telescopes."})
    listed = me.get(path)
    theirs = them.get(path)
    their_edit = them.patch(f"/followups/notes/{note_id}", {"body": "hacked"})
    their_delete = them.delete(f"/followups/notes/{note_id}")
    deleted = me.delete(f"/followups/notes/{note_id}")

    # then
    assert created.status_code == 201
    assert created.json()["body"] == "Loves telescopes."
    assert edited.json()["body"] == "Loves big telescopes."
    assert [n["body"] for n in listed.json()] == ["Loves big telescopes."]
    assert theirs.json() == []
    missing = {"code": "note_not_found", "message": "No such note.", "field": None}
    assert (their_edit.status_code, their_edit.json()) == (404, missing)
    assert (their_delete.status_code, their_delete.json()) == (404, missing)
    assert deleted.status_code == 204
    assert ContactNote.objects.count() == 0


def test_keep_in_touch_over_the_api(api_as):
    # given
    owner, contact = ProfileFactory(), ProfileFactory(display_name="Sam")
    connect(owner, contact)
    me = api_as(owner)
    path = f"/followups/contacts/{contact.user.public_id}"

    # when
    set_ = _put(me, f"{path}/keep-in-touch", {"cadence_days": 30})
    contacted = me.post(f"{path}/contacted")
    snoozed = me.post(f"{path}/snooze", {"days": 3})
    listed = me.get("/followups").json()
    cleared = me.delete(f"{path}/keep-in-touch")
    cleared_again = me.delete(f"{path}/keep-in-touch")

    # then
    assert set_.status_code == 200
    assert (set_.json()["member"]["display_name"], set_.json()["cadence_days"]) == ("Sam", 30)
    assert contacted.json()["last_contact_at"] is not None
    assert snoozed.json()["snoozed_until"] is not None
    assert [k["member"]["id"] for k in listed["keep_in_touch"]] == [contact.user.public_id]
    assert cleared.status_code == 204
    assert cleared_again.status_code == 404
    assert cleared_again.json()["code"] == "keep_in_touch_not_found"
    assert KeepInTouch.objects.count() == 0


def test_keep_in_touch_rejects_other_cadences(api_as):
    # given
    owner, contact = ProfileFactory(), ProfileFactory()
    connect(owner, contact)
    me = api_as(owner)

    # when
    answer = _put(
        me, f"/followups/contacts/{contact.user.public_id}/keep-in-touch", {"cadence_days": 7}
    )

    # then
    assert answer.status_code == 422
    assert (answer.json()["code"], answer.json()["field"]) == ("invalid", "cadence_days")


def test_thank_yous_over_the_api(api_as):
    # given
    ada, bo = ProfileFactory(display_name="Ada"), ProfileFactory(display_name="Bo")
    request_id = (
        api_as(ada).post("/connections/requests", {"member_id": bo.user.public_id}).json()["id"]
    )
    api_as(bo).post(f"/connections/requests/{request_id}/accept")
    me = api_as(ada)

    # when
    listed = me.get("/followups").json()
    [thanks] = listed["thank_yous"]
    done = me.post(f"/followups/thank-yous/{thanks['id']}/done")
    others = api_as(bo).post(f"/followups/thank-yous/{thanks['id']}/dismiss")
    after = me.get("/followups").json()
    reciprocity = me.get("/followups/reciprocity").json()

    # then
    assert (thanks["member"]["display_name"], thanks["reason"], thanks["is_due"]) == (
        "Bo",
        "connected",
        False,
    )
    assert thanks["draft"].startswith("Thanks for connecting, Bo!")
    assert done.status_code == 204
    assert others.status_code == 404
    assert after["thank_yous"] == []
    assert {"label": "People you thanked", "count": 1} in reciprocity


def test_share_an_article_over_the_api(api_as):
    # given
    owner, contact = ProfileFactory(display_name="Alex"), ProfileFactory(display_name="Sam")
    connect(owner, contact)

    # when
    shared = api_as(owner).post(
        "/articles",
        {"member_id": contact.user.public_id, "url": "https://example.org/a", "note": "Hi"},
    )
    bad = api_as(owner).post(
        "/articles", {"member_id": contact.user.public_id, "url": "javascript:alert(1)"}
    )
    received = api_as(contact).get("/articles").json()

    # then
    assert shared.status_code == 201
    assert {k: shared.json()[k] for k in ("member", "url", "note")} == {
        "member": {"id": contact.user.public_id, "display_name": "Sam"},
        "url": "https://example.org/a",
        "note": "Hi",
    }
    assert bad.status_code == 400
    assert bad.json() == {
        "code": "invalid",
        "message": "Enter a full web address starting with http:// or https://.",
        "field": "url",
    }
    assert [(a["url"], a["member"]["display_name"]) for a in received["received"]] == [
        ("https://example.org/a", "Alex")
    ]
    assert received["sent"] == []
    assert SharedArticle.objects.count() == 1


def test_the_openapi_document_lists_every_status_of_these_operations(client):
    # when
    spec = client.get("/api/v1/openapi.json").json()

    # then
    mine = {
        (method.upper(), path): set(op["responses"])
        for path, methods in spec["paths"].items()
        for method, op in methods.items()
        if path.startswith(("/api/v1/introductions", "/api/v1/followups", "/api/v1/articles"))
    }
    assert len(mine) == 19
    for (method, path), statuses in mine.items():
        assert {"400", "401", "404", "422", "429"} <= statuses, (method, path)
        if method != "GET":
            assert {"403", "409"} <= statuses, (method, path)
    assert "201" in mine[("POST", "/api/v1/introductions")]
    assert "201" in mine[("POST", "/api/v1/articles")]
    assert "204" in mine[("DELETE", "/api/v1/followups/notes/{note_id}")]
