"""No NUL byte posted to a group or discussion form reaches a query: SQLite stores one,
PostgreSQL refuses it with an error (a 500)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from commonground.groups.discussions import services as discussions
from commonground.network.services import member_block
from tests.commonground.factories import ProfileFactory
from tests.commonground.groups.helpers import add_member, make_group
from tests.commonground.nul import queries_with_nul

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "data", "status"),
    [
        ("react/", {"emoji": "heart", "comment": "ab\x00cd"}, 404),
        ("moderate/", {"action": "remove_comment", "comment": "ab\x00cd"}, 302),
    ],
)
def test_a_nul_comment_id_on_a_post_form_reaches_no_query(path, data, status):
    # given an organizer and a post in their group
    owner, member = ProfileFactory(), ProfileFactory()
    group = make_group(owner)
    add_member(group, member)
    post = discussions.post_create(user=owner.user, slug=group.slug, body="Hi")
    client = Client()
    client.force_login(owner.user)
    # when they post a comment id with a NUL byte
    with queries_with_nul() as queries:
        response = client.post(f"/groups/{group.slug}/posts/{post.public_id}/{path}", data)
    # then it is answered like an unknown comment, and no query carried the NUL
    assert response.status_code == status
    assert queries == []


@pytest.mark.parametrize(
    "action", ["promote", "demote", "remove", "approve", "decline", "transfer"]
)
def test_a_nul_member_id_on_the_manage_form_reaches_no_query(action):
    # given an organizer of a group
    owner = ProfileFactory()
    group = make_group(owner)
    client = Client()
    client.force_login(owner.user)
    # when they post a member id with a NUL byte
    with queries_with_nul() as queries:
        response = client.post(
            f"/groups/{group.slug}/manage/", {"action": action, "member": "ab\x00cd"}
        )
    # then it is answered like an unknown member, and no query carried the NUL
    assert response.status_code == 302
    assert queries == []


def test_comments_of_a_blocked_member_are_not_counted_on_the_page_or_in_the_api(api_as):
    # given a post with one comment by me and one by someone I blocked
    owner, me, rude = ProfileFactory(), ProfileFactory(), ProfileFactory()
    group = make_group(owner)
    add_member(group, me)
    add_member(group, rude)
    post = discussions.post_create(user=owner.user, slug=group.slug, body="Welcome")
    discussions.comment_create(user=rude.user, slug=group.slug, post_id=post.public_id, body="Meh")
    discussions.comment_create(user=me.user, slug=group.slug, post_id=post.public_id, body="Hi")
    member_block(user=me.user, member_public_id=rude.user.public_id)
    client = Client()
    client.force_login(me.user)
    # when I look at the group's posts, on the page and in the API
    page = client.get(f"/groups/{group.slug}/").content.decode()
    api = api_as(me).get(f"/groups/{group.slug}/posts").json()
    # then the count is of the comments I may read
    assert "1 comment<" in page
    assert "2 comments" not in page
    assert [p["comment_count"] for p in api["results"]] == [1]
    # and the owner, who blocked nobody, sees both
    assert (
        api_as(owner).get(f"/groups/{group.slug}/posts").json()["results"][0]["comment_count"] == 2
    )


@pytest.mark.parametrize("page", ["²", "¹²", "٣", "-1", "99999999", "1.5", "\x00"])
def test_an_odd_page_number_on_the_group_and_hashtag_pages_answers_200(page):
    # given a member and a group
    owner = ProfileFactory()
    group = make_group(owner)
    client = Client()
    client.force_login(owner.user)
    # when the page number is a unicode digit or other junk
    group_page = client.get(f"/groups/{group.slug}/", {"page": page})
    tag_page = client.get("/tags/kittens/", {"page": page})
    # then both pages answer with their first page
    assert group_page.status_code == 200
    assert tag_page.status_code == 200


ADMIN_CANARY = "canary-post-5e1b"


@pytest.mark.parametrize(
    ("superuser", "shown"),
    [(False, [False, False, False, False]), (True, [True, True, False, True])],
)
def test_what_members_wrote_in_a_group_reaches_superusers_only_in_the_admin(superuser, shown):
    # given a post and a comment in a secret group, and a staff member who may moderate
    owner, member = ProfileFactory(), ProfileFactory()
    group = make_group(owner, visibility="secret")
    add_member(group, member)
    post = discussions.post_create(
        user=owner.user,
        slug=group.slug,
        title=f"Title {ADMIN_CANARY}",
        body=f"Body {ADMIN_CANARY}",
        link_url=f"https://example.com/{ADMIN_CANARY}",
    )
    comment = discussions.comment_create(
        user=member.user, slug=group.slug, post_id=post.public_id, body=f"Re {ADMIN_CANARY}"
    )
    staff = ProfileFactory().user
    staff.is_staff = True
    staff.is_superuser = superuser
    staff.save(update_fields=["is_staff", "is_superuser"])
    staff.user_permissions.add(*Permission.objects.filter(content_type__app_label="groups"))
    client = Client()
    client.force_login(staff)
    # when they open the posts and comments in the admin
    pages = [
        client.get("/admin/groups/post/"),
        client.get(f"/admin/groups/post/{post.pk}/change/"),
        client.get("/admin/groups/comment/"),
        client.get(f"/admin/groups/comment/{comment.pk}/change/"),
    ]
    # then only a superuser reads what the members wrote
    assert [p.status_code for p in pages] == [200, 200, 200, 200]
    assert [ADMIN_CANARY in p.content.decode() for p in pages] == shown


@pytest.mark.parametrize("comment", ["a\r\nSet-Cookie: x=1", "a\nb", "\x00", "<b>", "../x"])
def test_a_junk_comment_id_with_a_wrong_emoji_redirects_to_the_post_itself(comment):
    # given a member and a post
    owner = ProfileFactory()
    group = make_group(owner)
    post = discussions.post_create(user=owner.user, slug=group.slug, body="Hi")
    client = Client()
    client.force_login(owner.user)
    # when they react with no valid emoji and a junk comment id
    response = client.post(
        f"/groups/{group.slug}/posts/{post.public_id}/react/", {"emoji": "x", "comment": comment}
    )
    # then they are sent back to the post, with no junk in the address
    assert response.status_code == 302
    assert response["Location"] == f"/groups/{group.slug}/posts/{post.public_id}/"
