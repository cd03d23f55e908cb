"""/api/v1/connections, /blocks, /mutes: routing, permissions and the exact responses."""

from __future__ import annotations

import pytest

from commonground.network.models import Block, ConnectionRequest, Mute
from commonground.network.selectors import are_connected
from tests.commonground.factories import ProfileFactory, connect

pytestmark = pytest.mark.django_db

MISSING_MEMBER = {"code": "member_not_found", "message": "No such member.", "field": "member"}
MISSING_REQUEST = {"code": "request_not_found", "message": "No such request.", "field": None}


def _ref(profile):
    return {"id": profile.user.public_id, "display_name": profile.display_name}


def test_request_then_accept_then_remove(api_as):
    # given
    ada, bo = ProfileFactory(display_name="Ada"), ProfileFactory(display_name="Bo")
    as_ada, as_bo = api_as(ada), api_as(bo)

    # when
    sent = as_ada.post("/connections/requests", {"member_id": bo.user.public_id, "note": "Hi!"})
    request_id = sent.json()["id"]
    waiting = as_bo.get("/connections/requests").json()
    accepted = as_bo.post(f"/connections/requests/{request_id}/accept")
    listed = as_ada.get("/connections").json()
    removed = as_bo.delete(f"/connections/{ada.user.public_id}")
    removed_again = as_bo.delete(f"/connections/{ada.user.public_id}")

    # then
    assert sent.status_code == 201
    body = sent.json()
    assert body == {
        "id": request_id,
        "direction": "outgoing",
        "state": "pending",
        "member": _ref(bo),
        "note": "Hi!",
        "created_at": body["created_at"],
    }
    assert waiting["outgoing"] == []
    assert [(r["id"], r["direction"], r["member"], r["note"]) for r in waiting["incoming"]] == [
        (request_id, "incoming", _ref(ada), "Hi!")
    ]
    assert accepted.status_code == 200
    assert (accepted.json()["state"], accepted.json()["member"]) == ("accepted", _ref(ada))
    assert (listed["count"], [m["display_name"] for m in listed["results"]]) == (1, ["Bo"])
    assert listed["results"][0]["is_connection"] is True
    assert removed.status_code == 204
    assert removed_again.status_code == 404
    assert removed_again.json() == {
        "code": "connection_not_found",
        "message": "You are not connected to this member.",
        "field": "member",
    }
    assert are_connected(user_id=ada.user_id, other_id=bo.user_id) is False


def test_a_declined_request_still_reads_pending_to_its_sender(api_as):
    # given
    ada, bo = ProfileFactory(), ProfileFactory()
    request_id = (
        api_as(ada).post("/connections/requests", {"member_id": bo.user.public_id}).json()["id"]
    )

    # when
    declined = api_as(bo).post(f"/connections/requests/{request_id}/decline")

    # then
    assert declined.status_code == 204
    outgoing = api_as(ada).get("/connections/requests").json()["outgoing"]
    assert [(r["id"], r["state"]) for r in outgoing] == [(request_id, "pending")]
    assert api_as(bo).get("/connections/requests").json() == {"incoming": [], "outgoing": []}
    again = api_as(ada).post("/connections/requests", {"member_id": bo.user.public_id})
    assert (again.status_code, again.json()["id"], again.json()["state"]) == (
        201,
        request_id,
        "pending",
    )


def test_withdraw_and_its_conflicts(api_as):
    # given
    ada, bo = ProfileFactory(), ProfileFactory()
    request_id = (
        api_as(ada).post("/connections/requests", {"member_id": bo.user.public_id}).json()["id"]
    )

    # when
    withdrawn = api_as(ada).post(f"/connections/requests/{request_id}/withdraw")
    too_late = api_as(bo).post(f"/connections/requests/{request_id}/accept")

    # then
    assert withdrawn.status_code == 204
    assert too_late.status_code == 409
    assert too_late.json() == {
        "code": "request_not_pending",
        "message": "This request is no longer open.",
        "field": None,
    }


@pytest.mark.parametrize("action", ["accept", "decline", "withdraw"])
def test_request_ids_work_only_for_the_members_involved(api_as, action):
    # given
    ada, bo, eve = ProfileFactory(), ProfileFactory(), ProfileFactory()
    request_id = (
        api_as(ada).post("/connections/requests", {"member_id": bo.user.public_id}).json()["id"]
    )
    wrong_party = ada if action != "withdraw" else bo

    # when
    answers = [
        api_as(p).post(f"/connections/requests/{request_id}/{action}") for p in (eve, wrong_party)
    ]
    unknown = api_as(eve).post(f"/connections/requests/nosuchrequest/{action}")

    # then
    assert [(r.status_code, r.json()) for r in answers] == [(404, MISSING_REQUEST)] * 2
    assert (unknown.status_code, unknown.json()) == (404, MISSING_REQUEST)
    assert ConnectionRequest.objects.get().state == ConnectionRequest.State.PENDING


def test_mutual_intent_answers_accepted(api_as):
    # given
    ada, bo = ProfileFactory(), ProfileFactory()
    api_as(bo).post("/connections/requests", {"member_id": ada.user.public_id})

    # when
    answer = api_as(ada).post("/connections/requests", {"member_id": bo.user.public_id})

    # then
    assert answer.status_code == 201
    assert (answer.json()["state"], answer.json()["direction"]) == ("accepted", "incoming")
    assert are_connected(user_id=ada.user_id, other_id=bo.user_id) is True


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"member_id": "x" * 33}, 422, "invalid", "member_id"),
        ({"member_id": "a b"}, 422, "invalid", "member_id"),
        ({}, 422, "invalid", "member_id"),
        ({"member_id": "abc", "note": "x" * 501}, 422, "invalid", "note"),
        ({"member_id": "abc", "note": "a\x00b"}, 422, "invalid", "note"),
        ({"member_id": "nosuchmember"}, 404, "member_not_found", "member"),
    ],
)
def test_bad_request_input_gets_a_clear_error(api_as, body, status, code, field):
    # when
    response = api_as(ProfileFactory()).post("/connections/requests", body)

    # then
    assert response.status_code == status
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert ConnectionRequest.objects.count() == 0


def test_requests_to_self_and_to_connections(api_as):
    # given
    ada, bo = ProfileFactory(), ProfileFactory()
    connect(ada, bo)

    # when
    to_self = api_as(ada).post("/connections/requests", {"member_id": ada.user.public_id})
    to_friend = api_as(ada).post("/connections/requests", {"member_id": bo.user.public_id})

    # then
    assert (to_self.status_code, to_self.json()) == (
        400,
        {
            "code": "self",
            "message": "You can't send a connection request to yourself.",
            "field": "member",
        },
    )
    assert (to_friend.status_code, to_friend.json()) == (
        409,
        {"code": "already_connected", "message": "You are already connected.", "field": "member"},
    )


def test_requests_to_strangers_past_the_daily_limit_answer_429(api_as, settings):
    # given
    settings.CONNECTION_REQUESTS_TO_STRANGERS_PER_DAY = 2
    me = api_as(ProfileFactory())
    for _ in range(2):
        assert (
            me.post("/connections/requests", {"member_id": ProfileFactory().user.public_id})
        ).status_code == 201

    # when
    response = me.post("/connections/requests", {"member_id": ProfileFactory().user.public_id})

    # then
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "code": "rate_limited",
        "message": "You can send at most 2 connection requests a day to members you share no "
        "connection with. Try again tomorrow, or connect through someone you both know.",
        "field": None,
    }
    assert ConnectionRequest.objects.count() == 2


def test_connections_search_by_name(api_as):
    # given
    me = ProfileFactory()
    for name in ("Grace Hopper", "Alan Turing", "Grace Kelly"):
        connect(me, ProfileFactory(display_name=name))

    # when
    found = api_as(me).get("/connections", q="grace").json()

    # then
    assert [m["display_name"] for m in found["results"]] == ["Grace Hopper", "Grace Kelly"]
    assert found["count"] == 2


def test_blocks_create_list_delete(api_as):
    # given
    me, pest = ProfileFactory(), ProfileFactory(display_name="Pest")
    connect(me, pest)
    as_me = api_as(me)

    # when
    created = as_me.post("/blocks", {"member_id": pest.user.public_id})
    listed = as_me.get("/blocks")
    their_view = api_as(pest).get("/blocks")
    their_request = api_as(pest).post("/connections/requests", {"member_id": me.user.public_id})
    deleted = as_me.delete(f"/blocks/{pest.user.public_id}")
    deleted_again = as_me.delete(f"/blocks/{pest.user.public_id}")

    # then
    assert (created.status_code, created.json()) == (201, _ref(pest))
    assert listed.json() == [_ref(pest)]
    assert their_view.json() == []
    assert (their_request.status_code, their_request.json()) == (404, MISSING_MEMBER)
    assert are_connected(user_id=me.user_id, other_id=pest.user_id) is False
    assert deleted.status_code == 204
    assert (deleted_again.status_code, deleted_again.json()["code"]) == (404, "block_not_found")
    assert Block.objects.count() == 0


def test_blocking_someone_who_blocked_you_is_not_found(api_as):
    # given
    me, them = ProfileFactory(), ProfileFactory()
    api_as(them).post("/blocks", {"member_id": me.user.public_id})

    # when
    response = api_as(me).post("/blocks", {"member_id": them.user.public_id})

    # then
    assert (response.status_code, response.json()) == (404, MISSING_MEMBER)


def test_mutes_create_list_delete(api_as):
    # given
    me, loud = ProfileFactory(), ProfileFactory(display_name="Loud")
    connect(me, loud)
    as_me = api_as(me)

    # when
    created = as_me.post("/mutes", {"member_id": loud.user.public_id})
    listed = as_me.get("/mutes")
    members = as_me.get("/members").json()
    connections = as_me.get("/connections").json()
    deleted = as_me.delete(f"/mutes/{loud.user.public_id}")

    # then
    assert (created.status_code, created.json()) == (201, _ref(loud))
    assert listed.json() == [_ref(loud)]
    assert members["results"] == []
    assert [m["display_name"] for m in connections["results"]] == ["Loud"]
    assert deleted.status_code == 204
    assert Mute.objects.count() == 0
    assert (as_me.delete(f"/mutes/{loud.user.public_id}")).json()["code"] == "mute_not_found"


def test_a_blocked_members_requests_vanish_from_the_blockers_list(api_as):
    # given
    me, them = ProfileFactory(), ProfileFactory()
    request_id = (
        api_as(them).post("/connections/requests", {"member_id": me.user.public_id}).json()["id"]
    )

    # when
    api_as(me).post("/blocks", {"member_id": them.user.public_id})

    # then
    assert api_as(me).get("/connections/requests").json() == {"incoming": [], "outgoing": []}
    assert api_as(them).get("/connections/requests").json() == {"incoming": [], "outgoing": []}
    withdraw = api_as(them).post(f"/connections/requests/{request_id}/withdraw")
    assert (withdraw.status_code, withdraw.json()) == (404, MISSING_REQUEST)
