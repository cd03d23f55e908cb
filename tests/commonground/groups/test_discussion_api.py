"""/api/v1: discussions, hashtags, announcements, niches and the membership writes."""

from __future__ import annotations

import pytest

from commonground.groups import services
from commonground.groups.discussions import services as discussions
from commonground.groups.models import Comment, Group, Post, Reaction
from commonground.groups.niches import niche_mine
from tests.commonground.factories import InterestFactory, ProfileFactory, give_interests
from tests.commonground.groups.helpers import add_member, make_group, membership

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/groups/abc/posts"),
        ("post", "/groups/abc/posts"),
        ("get", "/groups/abc/posts/xyz"),
        ("post", "/groups/abc/posts/xyz/comments"),
        ("post", "/groups/abc/posts/xyz/reactions"),
        ("post", "/groups/abc/posts/xyz/pin"),
        ("post", "/groups/abc/posts/xyz/lock"),
        ("post", "/groups/abc/posts/xyz/remove"),
        ("post", "/groups/abc/posts/xyz/comments/c1/remove"),
        ("get", "/tags/tea/posts"),
        ("post", "/groups/abc/announce"),
        ("get", "/niches"),
        ("post", "/groups/abc/invitation/accept"),
        ("post", "/groups/abc/invitation/decline"),
        ("delete", "/groups/abc/members/xyz"),
        ("post", "/groups/abc/members/xyz/role"),
        ("post", "/groups/abc/transfer"),
        ("put", "/groups/abc"),
    ],
)
def test_every_new_endpoint_needs_auth(api_as, method, path):
    client = api_as()
    if method == "put":
        response = client.client.put(f"/api/v1{path}", "{}", content_type="application/json")
    else:
        response = getattr(client, method)(path)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def _group(**fields):
    owner, member = ProfileFactory(display_name="Olga Owner"), ProfileFactory()
    group = make_group(owner, **fields)
    add_member(group, member)
    return group, owner, member


def test_create_a_post_answers_201_with_it(api_as):
    group, _, member = _group()
    response = api_as(member).post(
        f"/groups/{group.slug}/posts",
        {"title": "Hi", "body": "**Hello** #Intro", "link_url": "https://www.example.org/a"},
    )
    assert response.status_code == 201
    post = Post.objects.get()
    body = response.json()
    assert body == {
        "id": post.public_id,
        "group": group.slug,
        "author": {"id": member.user.public_id, "display_name": member.display_name},
        "title": "Hi",
        "body": "**Hello** #Intro",
        "body_html": "<p><strong>Hello</strong> #Intro</p>\n",
        "link_url": "https://www.example.org/a",
        "link_domain": "example.org",
        "hashtags": ["intro"],
        "pinned": False,
        "locked": False,
        "removed": False,
        "comment_count": 0,
        "reactions": [],
        "created_at": body["created_at"],
        "comments": [],
    }


@pytest.mark.parametrize(
    ("payload", "status", "field"),
    [
        ({"body": ""}, 422, "body"),
        ({"body": "nul \u0000"}, 422, "body"),
        ({"body": "x" * 10_001}, 422, "body"),
        ({"body": "ok", "link_url": "javascript:alert(1)"}, 400, "link_url"),
        ({"body": "ok", "title": "t" * 141}, 422, "title"),
        ({"title": "no body"}, 422, "body"),
    ],
)
def test_bad_posts_answer_4xx_with_the_field_and_write_nothing(api_as, payload, status, field):
    group, _, member = _group()
    response = api_as(member).post(f"/groups/{group.slug}/posts", payload)
    assert response.status_code == status
    assert response.json()["field"] == field
    assert Post.objects.count() == 0


def test_list_detail_comment_and_react(api_as):
    # given
    group, owner, member = _group()
    old = discussions.post_create(user=owner.user, slug=group.slug, body="Old")
    new = discussions.post_create(user=owner.user, slug=group.slug, body="New")
    client = api_as(member)
    # when
    listed = client.get(f"/groups/{group.slug}/posts")
    commented = client.post(f"/groups/{group.slug}/posts/{old.public_id}/comments", {"body": "Yes"})
    reacted = client.post(
        f"/groups/{group.slug}/posts/{old.public_id}/reactions", {"emoji": "heart"}
    )
    comment_id = commented.json()["id"]
    on_comment = client.post(
        f"/groups/{group.slug}/posts/{old.public_id}/reactions",
        {"emoji": "idea", "comment_id": comment_id},
    )
    detail = client.get(f"/groups/{group.slug}/posts/{old.public_id}")
    # then
    assert listed.status_code == 200
    assert [p["id"] for p in listed.json()["results"]] == [new.public_id, old.public_id]
    assert listed.json()["count"] == 2
    assert commented.status_code == 201
    assert commented.json()["body"] == "Yes"
    assert (reacted.json(), on_comment.json()) == ({"active": True}, {"active": True})
    body = detail.json()
    assert body["reactions"] == [{"emoji": "heart", "count": 1, "mine": True}]
    assert body["comment_count"] == 1
    assert body["comments"][0]["reactions"] == [{"emoji": "idea", "count": 1, "mine": True}]
    bad = client.post(f"/groups/{group.slug}/posts/{old.public_id}/reactions", {"emoji": "poop"})
    assert bad.status_code == 422
    assert Reaction.objects.count() == 2


def test_moderation_is_for_organizers(api_as):
    group, owner, member = _group()
    post = discussions.post_create(user=member.user, slug=group.slug, body="Hi")
    comment = discussions.comment_create(
        user=member.user, slug=group.slug, post_id=post.public_id, body="Yo"
    )
    base = f"/groups/{group.slug}/posts/{post.public_id}"
    refused = api_as(member).post(f"{base}/pin", {"pinned": True})
    assert refused.status_code == 403
    assert refused.json()["code"] == "not_organizer"
    organizer = api_as(owner)
    assert organizer.post(f"{base}/pin", {"pinned": True}).json()["pinned"] is True
    assert organizer.post(f"{base}/lock", {"locked": True}).json()["locked"] is True
    locked = api_as(member).post(f"{base}/comments", {"body": "more"})
    assert locked.status_code == 409
    assert locked.json()["code"] == "post_locked"
    gone = organizer.post(f"{base}/comments/{comment.public_id}/remove")
    assert gone.status_code == 204
    assert Comment.objects.get().removed_at is not None
    removed = organizer.post(f"{base}/remove").json()
    assert (removed["removed"], removed["body"], removed["title"], removed["pinned"]) == (
        True,
        "",
        "",
        False,
    )


def test_a_secret_groups_posts_answer_exactly_like_missing_ones(api_as):
    group, owner, _ = _group(visibility="secret")
    post = discussions.post_create(user=owner.user, slug=group.slug, body="Hidden #secretstuff")
    client = api_as(ProfileFactory())
    for hidden, missing in [
        (f"/groups/{group.slug}/posts", "/groups/nosuchgroup1/posts"),
        (f"/groups/{group.slug}/posts/{post.public_id}", "/groups/nosuchgroup1/posts/nosuchpost1"),
    ]:
        a, b = client.get(hidden), client.get(missing)
        assert a.status_code == b.status_code == 404
        assert a.json() == b.json()
    tags = client.get("/tags/secretstuff/posts").json()
    assert (tags["count"], tags["results"]) == (0, [])
    assert client.get("/tags/a/posts").status_code == 404


def test_announce_answers_201_with_the_reach_then_429(api_as):
    kittens = InterestFactory()
    owner = ProfileFactory()
    group = make_group(owner, kittens)
    give_interests(ProfileFactory(), kittens)
    client = api_as(owner)
    first = client.post(f"/groups/{group.slug}/announce")
    second = client.post(f"/groups/{group.slug}/announce")
    assert first.status_code == 201
    assert (first.json()["group"], first.json()["reached"]) == (group.slug, 1)
    assert second.status_code == 429
    assert second.json()["code"] == "announcement_rate_limited"


def test_niches_for_me(api_as):
    kittens, bacon = InterestFactory(name="Kittens"), InterestFactory(name="Bacon")
    place = {"city": "Washington", "region": "District of Columbia", "country": "US"}
    for _ in range(3):
        give_interests(ProfileFactory(**place), kittens, bacon)
    me = ProfileFactory(**place)
    give_interests(me, bacon)
    niche_mine(min_members=3, max_size=2)
    body = api_as(me).get("/niches").json()
    assert body[0] == {
        "interests": [
            {"slug": bacon.slug, "name": "Bacon"},
            {"slug": kittens.slug, "name": "Kittens"},
        ],
        "members_sharing": 3,
        "where": "in your region",
        "place": "District of Columbia, US",
        "scope": "regional",
    }
    assert len(body) == 1  # the same pair for the country and the community is left out


def test_invitation_accept_and_decline(api_as):
    owner, a, b = ProfileFactory(), ProfileFactory(), ProfileFactory()
    group = make_group(owner, visibility="secret")
    for p in (a, b):
        services.group_invite(user=owner.user, slug=group.slug, member_public_id=p.user.public_id)
    accepted = api_as(a).post(f"/groups/{group.slug}/invitation/accept")
    declined = api_as(b).post(f"/groups/{group.slug}/invitation/decline")
    assert accepted.json() == {"group": group.slug, "role": "member", "state": "active"}
    assert declined.status_code == 204
    assert membership(group, b) is None
    again = api_as(b).post(f"/groups/{group.slug}/invitation/decline")
    assert again.status_code == 404


def test_remove_role_and_transfer(api_as):
    group, owner, member = _group()
    other = ProfileFactory()
    add_member(group, other)
    client = api_as(owner)
    role = client.post(
        f"/groups/{group.slug}/members/{member.user.public_id}/role", {"role": "organizer"}
    )
    assert role.json() == {"group": group.slug, "role": "organizer", "state": "active"}
    bad_role = client.post(
        f"/groups/{group.slug}/members/{member.user.public_id}/role", {"role": "owner"}
    )
    assert bad_role.status_code == 422
    refused = api_as(member).post(
        f"/groups/{group.slug}/transfer", {"member_id": other.user.public_id}
    )
    assert refused.status_code == 403
    removed = api_as(member).delete(f"/groups/{group.slug}/members/{other.user.public_id}")
    assert removed.status_code == 204
    assert Group.objects.get().member_count == 2
    owner_removal = client.delete(f"/groups/{group.slug}/members/{owner.user.public_id}")
    assert owner_removal.status_code == 409
    moved = client.post(f"/groups/{group.slug}/transfer", {"member_id": member.user.public_id})
    assert moved.json() == {"group": group.slug, "role": "owner", "state": "active"}
    assert membership(group, owner).role == "organizer"


def test_put_changes_the_group_for_organizers_only(api_as):
    group, owner, member = _group()
    tea = InterestFactory(name="Tea")
    payload = {"name": "Tea club", "interests": [tea.slug], "scope": "national", "country": "FR"}
    refused = api_as(member).client.put(
        f"/api/v1/groups/{group.slug}",
        payload,
        content_type="application/json",
        **api_as(member).headers,
    )
    assert refused.status_code == 403
    client = api_as(owner)
    response = client.client.put(
        f"/api/v1/groups/{group.slug}", payload, content_type="application/json", **client.headers
    )
    assert response.status_code == 200
    body = response.json()
    assert (body["name"], body["scope"], body["country"]) == ("Tea club", "national", "FR")
    assert body["interests"] == [{"slug": tea.slug, "name": "Tea"}]
