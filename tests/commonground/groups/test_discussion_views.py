"""Discussion, edit, announce and niche pages: routing, permissions, what each shows, and
fixed query counts."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from commonground.groups.discussions import services as discussions
from commonground.groups.discussions.selectors import hashtag_posts
from commonground.groups.models import Announcement, Comment, Group, Post, Reaction
from commonground.groups.niches import niche_mine
from commonground.profiles.selectors import Viewer
from tests.commonground.factories import PASSWORD, InterestFactory, ProfileFactory, give_interests
from tests.commonground.groups.helpers import add_member, make_group

pytestmark = pytest.mark.django_db


def _login(profile) -> Client:
    client = Client()
    assert client.login(email=profile.user.email, password=PASSWORD)
    return client


def _group(**fields):
    owner, member = ProfileFactory(display_name="Olga Owner"), ProfileFactory()
    group = make_group(owner, **fields)
    add_member(group, member)
    return group, owner, member


def test_a_member_posts_from_the_group_page_and_lands_on_the_post():
    # given
    group, _, member = _group()
    client = _login(member)
    assert "Write a post" in client.get(f"/groups/{group.slug}/").content.decode()
    # when
    response = client.post(
        f"/groups/{group.slug}/posts/",
        {"title": "Hello", "body": "**Hi** all #intro", "link_url": "https://www.example.org/x"},
    )
    # then
    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/groups/{group.slug}/posts/{post.public_id}/"
    page = client.get(response["Location"]).content.decode()
    assert "<strong>Hi</strong>" in page
    assert 'href="/tags/intro/"' in page
    assert "example.org" in page
    assert 'rel="nofollow ugc noopener"' in page


def test_a_bad_post_re_renders_the_group_page_with_the_error_and_writes_nothing():
    group, _, member = _group()
    response = _login(member).post(
        f"/groups/{group.slug}/posts/", {"body": "ok", "link_url": "javascript:alert(1)"}
    )
    assert response.status_code == 200
    assert "Give a full web address" in response.content.decode()
    response = _login(member).post(f"/groups/{group.slug}/posts/", {"body": ""})
    assert "This field is required." in response.content.decode()
    assert Post.objects.count() == 0


def test_markdown_in_posts_and_comments_is_sanitized():
    group, owner, member = _group()
    post = discussions.post_create(
        user=owner.user,
        slug=group.slug,
        body='<script>alert("x")</script> [click](javascript:alert(1)) <img src=x onerror=alert(1)>',
    )
    discussions.comment_create(
        user=member.user, slug=group.slug, post_id=post.public_id, body="<b onclick=x>hi</b>"
    )
    page = _login(member).get(f"/groups/{group.slug}/posts/{post.public_id}/").content.decode()
    assert "<script>alert" not in page
    assert 'href="javascript' not in page
    assert "<img" not in page
    assert "<b onclick" not in page
    assert "&lt;b onclick=x&gt;hi&lt;/b&gt;" in page


def test_comment_react_and_moderate_through_forms():
    # given
    group, owner, member = _group()
    post = discussions.post_create(user=owner.user, slug=group.slug, body="Hi")
    url = f"/groups/{group.slug}/posts/{post.public_id}/"
    client = _login(member)
    # when
    commented = client.post(url, {"body": "Nice"})
    reacted = client.post(f"{url}react/", {"emoji": "party"})
    refused = client.post(f"{url}moderate/", {"action": "pin"}, follow=True)
    pinned = _login(owner).post(f"{url}moderate/", {"action": "pin"})
    locked = _login(owner).post(f"{url}moderate/", {"action": "lock"})
    late = client.post(url, {"body": "Too late"})
    # then
    comment = Comment.objects.get()
    assert commented.status_code == 302
    assert commented["Location"] == f"{url}#comment-{comment.public_id}"
    assert reacted.status_code == 302
    assert Reaction.objects.get().emoji == "party"
    assert "Only the group&#x27;s organizers can do that." in refused.content.decode()
    assert (pinned.status_code, locked.status_code) == (302, 302)
    assert Post.objects.filter(pinned=True, locked=True).count() == 1
    assert "This post is locked" in late.content.decode()
    assert Comment.objects.count() == 1


def test_unknown_moderation_is_404_and_bad_emoji_writes_nothing():
    group, owner, _ = _group()
    post = discussions.post_create(user=owner.user, slug=group.slug, body="Hi")
    url = f"/groups/{group.slug}/posts/{post.public_id}/"
    client = _login(owner)
    assert client.post(f"{url}moderate/", {"action": "explode"}).status_code == 404
    response = client.post(f"{url}react/", {"emoji": "poop"}, follow=True)
    assert "Choose one of" in response.content.decode()
    assert Reaction.objects.count() == 0
    assert client.get(f"/groups/{group.slug}/posts/nosuchpost12/").status_code == 404


def test_a_removed_post_shows_removed_by_an_organizer():
    group, owner, member = _group()
    post = discussions.post_create(user=member.user, slug=group.slug, body="Spam spam")
    _login(owner).post(
        f"/groups/{group.slug}/posts/{post.public_id}/moderate/", {"action": "remove"}
    )
    group_page = _login(member).get(f"/groups/{group.slug}/").content.decode()
    post_page = _login(member).get(f"/groups/{group.slug}/posts/{post.public_id}/").content.decode()
    assert "Removed by an organizer." in group_page
    assert "Spam spam" not in group_page
    assert "Removed by an organizer." in post_page
    assert "Spam spam" not in post_page


def test_private_group_discussions_are_for_members_and_secret_ones_are_missing():
    private, owner, _ = _group(visibility="private")
    discussions.post_create(user=owner.user, slug=private.slug, body="Members only talk")
    secret = make_group(owner, name="Hidden", visibility="secret")
    hidden = discussions.post_create(user=owner.user, slug=secret.slug, body="Hidden talk")
    client = _login(ProfileFactory())
    page = client.get(f"/groups/{private.slug}/").content.decode()
    assert "Members only talk" not in page
    assert "Discussions here are for the group's members." in page
    assert client.get(f"/groups/{secret.slug}/posts/{hidden.public_id}/").status_code == 404
    assert client.post(f"/groups/{secret.slug}/posts/", {"body": "x"}).status_code == 404


def test_the_hashtag_page_lists_what_the_viewer_may_read_and_refuses_bad_tags():
    group, owner, member = _group()
    discussions.post_create(user=owner.user, slug=group.slug, body="Open #Picnic")
    private = make_group(owner, name="Private", visibility="private")
    discussions.post_create(user=owner.user, slug=private.slug, body="Closed #picnic")
    page = _login(member).get("/tags/PICNIC/").content.decode()
    assert "Open #Picnic" in page
    assert "Closed #picnic" not in page
    assert "1 post in the groups you can read." in page
    assert _login(member).get("/tags/a/").status_code == 404
    assert Client().get("/tags/picnic/").status_code == 302


def test_the_hashtag_selector_makes_five_queries_whatever_the_number_of_posts(
    django_assert_num_queries,
):
    group, owner, member = _group()
    viewer = Viewer.for_user(member.user)
    for total in (2, 9):
        while Post.objects.count() < total:
            post = discussions.post_create(user=owner.user, slug=group.slug, body="#tea time")
            discussions.reaction_toggle(
                user=member.user, slug=group.slug, post_id=post.public_id, emoji="heart"
            )
        with django_assert_num_queries(5):
            page = hashtag_posts(viewer=viewer, tag="tea")
        assert len(page.items) == total


def test_group_post_and_hashtag_pages_make_the_same_queries_for_2_or_9_posts():
    group, owner, member = _group()
    client = _login(member)
    counts: dict[str, list[int]] = {"group": [], "tag": [], "post": []}
    first = None
    for total in (2, 9):
        while Post.objects.count() < total:
            post = discussions.post_create(user=owner.user, slug=group.slug, body="#tea time")
            first = first or post
            discussions.comment_create(
                user=member.user, slug=group.slug, post_id=first.public_id, body="Yes"
            )
            discussions.reaction_toggle(
                user=member.user, slug=group.slug, post_id=post.public_id, emoji="heart"
            )
        for name, url in [
            ("group", f"/groups/{group.slug}/"),
            ("tag", "/tags/tea/"),
            ("post", f"/groups/{group.slug}/posts/{first.public_id}/"),
        ]:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200
            counts[name].append(len(queries))
        assert response.content.decode().count('class="comment"') == total
    assert counts["group"][0] == counts["group"][1]
    assert counts["tag"][0] == counts["tag"][1]
    assert counts["post"][0] == counts["post"][1]


def test_the_edit_page_is_for_organizers_and_saves_changes():
    # given
    group, owner, member = _group()
    tea = InterestFactory(name="Tea")
    client = _login(owner)
    form = client.get(f"/groups/{group.slug}/edit/").content.decode()
    assert 'value="Kitten Bacon Club"' in form
    # when
    response = client.post(
        f"/groups/{group.slug}/edit/",
        {
            "name": "Tea club",
            "description": "All about tea",
            "interests": "Tea",
            "scope": "national",
            "country": "France",
            "city": "Lyon",
            "visibility": "private",
        },
    )
    # then
    group.refresh_from_db()
    assert response.status_code == 302
    assert (group.name, group.scope, group.country, group.city, group.visibility) == (
        "Tea club",
        "national",
        "France",
        "",
        "private",
    )
    assert list(group.interests.all()) == [tea]
    assert _login(member).get(f"/groups/{group.slug}/edit/").status_code == 403
    secret = make_group(owner, visibility="secret")
    assert _login(member).get(f"/groups/{secret.slug}/edit/").status_code == 404


def test_the_edit_page_shows_refusals_on_the_form():
    group, owner, _ = _group()
    response = _login(owner).post(
        f"/groups/{group.slug}/edit/",
        {"name": "Tea club", "interests": "Tea", "scope": "local", "visibility": "public"},
    )
    assert response.status_code == 200
    assert "A local group needs its city." in response.content.decode()
    group.refresh_from_db()
    assert group.name == "Kitten Bacon Club"


def test_an_organizer_announces_from_the_group_page_and_sees_the_reach():
    kittens = InterestFactory()
    owner = ProfileFactory()
    group = make_group(owner, kittens)
    for _ in range(2):
        give_interests(ProfileFactory(), kittens)
    client = _login(owner)
    assert "Announce it" in client.get(f"/groups/{group.slug}/").content.decode()
    first = client.post(f"/groups/{group.slug}/announce/", follow=True).content.decode()
    again = client.post(f"/groups/{group.slug}/announce/", follow=True).content.decode()
    assert "Announced to 2 members who share its interests and place." in first
    assert "This group was announced recently" in again
    assert Announcement.objects.count() == 1
    assert _login(ProfileFactory()).post(f"/groups/{group.slug}/announce/").status_code == 302
    assert Announcement.objects.count() == 1


def test_a_member_sees_niches_and_the_start_button_prefills_the_group():
    kittens, bacon = InterestFactory(name="Kittens"), InterestFactory(name="Bacon")
    place = {"city": "Washington", "region": "District of Columbia", "country": "US"}
    for _ in range(3):
        give_interests(ProfileFactory(**place), kittens, bacon)
    me = ProfileFactory(**place)
    give_interests(me, kittens)
    niche_mine(min_members=3)
    client = _login(me)
    index = client.get("/groups/").content.decode()
    page = client.get("/groups/niches/").content.decode()
    assert "Waiting to be started" in index
    assert "<strong>3 people</strong> in District of Columbia, US love both" in page
    start = f"/groups/new/?i={bacon.slug}&amp;i={kittens.slug}&amp;scope=regional"
    assert start in page
    new = client.get(start.replace("&amp;", "&")).content.decode()
    assert 'value="Bacon, Kittens"' in new
    assert 'value="District of Columbia"' in new
    assert Group.objects.count() == 0
