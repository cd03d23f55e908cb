"""/api/v1/groups: routing, permissions and exact responses."""

from __future__ import annotations

import pytest

from commonground.groups import services
from commonground.groups.models import Group
from tests.commonground.factories import InterestFactory, ProfileFactory, give_interests
from tests.commonground.groups.helpers import make_group, membership

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/groups"),
        ("post", "/groups"),
        ("get", "/groups/abc"),
        ("post", "/groups/abc/join"),
        ("post", "/groups/abc/leave"),
        ("get", "/groups/abc/members"),
        ("post", "/groups/abc/requests/xyz/approve"),
        ("post", "/groups/abc/requests/xyz/decline"),
        ("post", "/groups/abc/invites"),
    ],
)
def test_every_group_endpoint_needs_auth(api_as, method, path):
    response = getattr(api_as(), method)(path)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_create_answers_201_with_the_group(api_as):
    kittens, bacon = InterestFactory(name="Kittens"), InterestFactory(name="Bacon")
    me = ProfileFactory()
    response = api_as(me).post(
        "/groups",
        {
            "name": "Kitten bacon",
            "interests": [kittens.slug, bacon.slug],
            "scope": "national",
            "country": "France",
            "city": "Lyon",
        },
    )
    assert response.status_code == 201
    body = response.json()
    group = Group.objects.get()
    assert body["id"] == group.slug
    assert body["interests"] == [
        {"slug": bacon.slug, "name": "Bacon"},
        {"slug": kittens.slug, "name": "Kittens"},
    ]
    assert (body["scope"], body["country"], body["city"]) == ("national", "France", "")
    assert (body["role"], body["state"], body["member_count"]) == ("owner", "active", 1)


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"name": "Kittens", "interests": []}, 422, "interests"),
        ({"name": "Kittens", "interests": ["no-such-interest"]}, 404, "interests"),
        ({"name": "Kittens", "interests": ["KITTENS!"]}, 422, "interests.0"),
        ({"name": "Kittens", "interests": ["kittens"], "scope": "local"}, 400, "city"),
        ({"name": "Kittens", "interests": ["kittens"], "visibility": "x"}, 422, "visibility"),
    ],
)
def test_create_refuses_bad_input_with_a_field(api_as, payload, status, field):
    InterestFactory(name="Kittens", slug="kittens")
    response = api_as(ProfileFactory()).post("/groups", payload)
    assert response.status_code == status
    assert response.json()["field"] == field
    assert Group.objects.count() == 0


def test_list_and_search_with_and_and_the_start_offer(api_as):
    kittens, bacon = InterestFactory(name="Kittens"), InterestFactory(name="Bacon")
    owner = ProfileFactory()
    make_group(owner, kittens, name="Just kittens")
    me = ProfileFactory(reach="virtual")
    give_interests(owner, kittens, bacon)
    client = api_as(me)
    listed = client.get("/groups").json()
    assert [g["name"] for g in listed["results"]] == ["Just kittens"]
    assert listed["start"] is None
    searched = client.get("/groups", interests=f"{kittens.slug},{bacon.slug}").json()
    assert searched["count"] == 0
    assert searched["results"] == []
    assert searched["start"] == {
        "interests": [
            {"slug": kittens.slug, "name": "Kittens"},
            {"slug": bacon.slug, "name": "Bacon"},
        ],
        "members_sharing": 1,
    }
    assert client.get("/groups", interests="nope").status_code == 404
    assert client.get("/groups", scope="moon").status_code == 422


def test_join_leave_and_members(api_as):
    owner = ProfileFactory(display_name="Olga")
    group = make_group(owner, visibility="private")
    me = ProfileFactory()
    client = api_as(me)
    assert client.get(f"/groups/{group.slug}").json()["member_count"] == 1
    joined = client.post(f"/groups/{group.slug}/join")
    assert joined.status_code == 200
    assert joined.json() == {"group": group.slug, "role": "member", "state": "requested"}
    denied = client.get(f"/groups/{group.slug}/members")
    assert denied.status_code == 403
    assert denied.json()["code"] == "not_member"
    owner_client = api_as(owner)
    approved = owner_client.post(f"/groups/{group.slug}/requests/{me.user.public_id}/approve")
    assert approved.json()["state"] == "active"
    members = api_as(me).get(f"/groups/{group.slug}/members").json()
    assert [(m["display_name"], m["role"]) for m in members] == [
        ("Olga", "owner"),
        (me.display_name, "member"),
    ]
    assert api_as(me).post(f"/groups/{group.slug}/leave").status_code == 204
    assert membership(group, me) is None
    refused = api_as(owner).post(f"/groups/{group.slug}/leave")
    assert refused.status_code == 409
    assert refused.json()["code"] == "owner_must_transfer"


def test_decline_and_invite_need_an_organizer(api_as):
    owner, asker, friend = ProfileFactory(), ProfileFactory(), ProfileFactory()
    group = make_group(owner, visibility="private")
    services.group_join(user=asker.user, slug=group.slug)
    by_asker = api_as(asker).post(
        f"/groups/{group.slug}/invites", {"member_id": friend.user.public_id}
    )
    assert by_asker.status_code == 403
    assert by_asker.json()["code"] == "not_organizer"
    declined = api_as(owner).post(f"/groups/{group.slug}/requests/{asker.user.public_id}/decline")
    assert declined.status_code == 204
    assert membership(group, asker) is None
    invited = api_as(owner).post(
        f"/groups/{group.slug}/invites", {"member_id": friend.user.public_id}
    )
    assert invited.status_code == 201
    assert invited.json() == {"group": group.slug, "role": "member", "state": "invited"}
    again = api_as(owner).post(f"/groups/{group.slug}/requests/{friend.user.public_id}/approve")
    assert again.status_code == 409
    assert again.json()["code"] == "not_pending"


def test_a_secret_group_is_404_over_the_api_to_outsiders(api_as):
    group = make_group(ProfileFactory(), visibility="secret")
    client = api_as(ProfileFactory())
    for response in (
        client.get(f"/groups/{group.slug}"),
        client.post(f"/groups/{group.slug}/join"),
        client.get(f"/groups/{group.slug}/members"),
    ):
        assert response.status_code == 404
        assert response.json() == {
            "code": "group_not_found",
            "message": "No such group.",
            "field": None,
        }
    assert client.get("/groups").json()["count"] == 0
