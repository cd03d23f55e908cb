"""Discussion services: posts, hashtags, links, comments, reactions, moderation."""

from __future__ import annotations

import pytest

from commonground.core.errors import ApplicationError
from commonground.groups.discussions import services
from commonground.groups.discussions.hashtags import hashtags_in, normalize_hashtag
from commonground.groups.errors import (
    CommentNotFound,
    GroupInvalid,
    GroupNotFound,
    NotGroupMember,
    NotOrganizer,
    PostLocked,
    PostNotFound,
    PostRemoved,
)
from commonground.groups.models import Comment, Hashtag, Post, Reaction
from commonground.groups.services import group_leave
from commonground.network.services import member_block
from commonground.notifications.models import Notification
from tests.commonground.factories import ProfileFactory
from tests.commonground.groups.helpers import add_member, make_group

pytestmark = pytest.mark.django_db


def _group_with_member(**fields):
    owner, member = ProfileFactory(), ProfileFactory()
    group = make_group(owner, **fields)
    add_member(group, member)
    return group, owner, member


def test_hashtags_are_words_of_2_to_50_letters_case_folded_and_deduplicated():
    text = "#Kittens and #kittens, #bacon_2 #a http://x.org/#top &#39; ##head #Café #" + "x" * 51
    assert hashtags_in(text) == ["kittens", "bacon_2", "café"]
    assert normalize_hashtag("#Kittens") == "kittens"
    assert normalize_hashtag("a") is None
    assert normalize_hashtag("no spaces") is None


def test_a_member_posts_with_markdown_hashtags_and_a_link():
    # given
    group, _, member = _group_with_member()
    # when
    post = services.post_create(
        user=member.user,
        slug=group.slug,
        title="Weekend",
        body="Who is coming? #Picnic #kittens <script>alert(1)</script>",
        link_url="https://www.example.org/a/b?c=d",
    )
    # then
    post.refresh_from_db()
    assert (post.group, post.author, post.title) == (group, member.user, "Weekend")
    assert sorted(post.hashtags.values_list("name", flat=True)) == ["kittens", "picnic"]
    assert post.link_url == "https://www.example.org/a/b?c=d"
    assert Hashtag.objects.count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"body": ""}, "body"),
        ({"body": "   "}, "body"),
        ({"body": "x" * 10_001}, "body"),
        ({"body": "nul \x00 byte"}, "body"),
        ({"body": "ok", "title": "t" * 141}, "title"),
        ({"body": "ok", "link_url": "javascript:alert(1)"}, "link_url"),
        ({"body": "ok", "link_url": "ftp://example.org/file"}, "link_url"),
        ({"body": "ok", "link_url": "not a url"}, "link_url"),
        ({"body": "ok", "link_url": "https://" + "a" * 500 + ".org"}, "link_url"),
    ],
)
def test_bad_post_input_is_refused_and_writes_nothing(fields, field):
    group, _, member = _group_with_member()
    with pytest.raises(ApplicationError) as caught:
        services.post_create(user=member.user, slug=group.slug, **fields)
    assert caught.value.field == field
    assert Post.objects.count() == 0


def test_only_members_post_comment_and_react():
    # given: a public group an outsider can read
    group, owner, _ = _group_with_member()
    post = services.post_create(user=owner.user, slug=group.slug, body="Hello")
    outsider = ProfileFactory()
    # when / then
    with pytest.raises(NotGroupMember):
        services.post_create(user=outsider.user, slug=group.slug, body="Me too")
    with pytest.raises(NotGroupMember):
        services.comment_create(
            user=outsider.user, slug=group.slug, post_id=post.public_id, body="Hi"
        )
    with pytest.raises(NotGroupMember):
        services.reaction_toggle(
            user=outsider.user, slug=group.slug, post_id=post.public_id, emoji="heart"
        )
    assert (Post.objects.count(), Comment.objects.count(), Reaction.objects.count()) == (1, 0, 0)


def test_a_secret_groups_posts_are_missing_to_outsiders_even_by_id():
    group, owner, _ = _group_with_member(visibility="secret")
    post = services.post_create(user=owner.user, slug=group.slug, body="Hidden")
    outsider = ProfileFactory()
    with pytest.raises(GroupNotFound):
        services.comment_create(
            user=outsider.user, slug=group.slug, post_id=post.public_id, body="Hi"
        )


def test_a_comment_notifies_the_posts_author_but_not_for_their_own(
    django_capture_on_commit_callbacks,
):
    # given
    group, owner, member = _group_with_member()
    post = services.post_create(user=owner.user, slug=group.slug, title="Plans", body="Hi")
    # when
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(
            user=member.user, slug=group.slug, post_id=post.public_id, body="Count me in"
        )
        services.comment_create(
            user=owner.user, slug=group.slug, post_id=post.public_id, body="Great"
        )
    # then
    note = Notification.objects.get()
    assert (note.recipient, note.kind, note.actor) == (owner.user, "groups.reply", member.user)
    assert note.url == f"/groups/{group.slug}/posts/{post.public_id}/#comment-{comment.public_id}"
    assert note.text == f"New comment on Plans in {group.name}"
    assert Post.objects.get().comment_count == 2


def test_no_reply_notification_for_an_author_who_can_no_longer_read_the_post(
    django_capture_on_commit_callbacks,
):
    # given: a private group's member posts, then leaves it
    group, owner, member = _group_with_member(visibility="private")
    post = services.post_create(user=member.user, slug=group.slug, body="Hi")
    group_leave(user=member.user, slug=group.slug)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(
            user=owner.user, slug=group.slug, post_id=post.public_id, body="They left"
        )
    # then
    assert Notification.objects.count() == 0


def test_a_block_hides_the_blocked_members_posts_and_stops_their_comments():
    group, owner, member = _group_with_member()
    post = services.post_create(user=owner.user, slug=group.slug, body="Hi")
    member_block(user=owner.user, member_public_id=member.user.public_id)
    with pytest.raises(PostNotFound):
        services.comment_create(
            user=member.user, slug=group.slug, post_id=post.public_id, body="Second"
        )
    assert Comment.objects.count() == 0


def test_a_locked_post_takes_no_comments_and_a_removed_one_nothing():
    group, owner, member = _group_with_member()
    post = services.post_create(user=member.user, slug=group.slug, body="Hi")
    services.post_lock(user=owner.user, slug=group.slug, post_id=post.public_id)
    with pytest.raises(PostLocked):
        services.comment_create(
            user=member.user, slug=group.slug, post_id=post.public_id, body="Hey"
        )
    services.post_lock(user=owner.user, slug=group.slug, post_id=post.public_id, locked=False)
    services.comment_create(user=member.user, slug=group.slug, post_id=post.public_id, body="Hey")
    removed = services.post_remove(user=owner.user, slug=group.slug, post_id=post.public_id)
    assert removed.removed_at is not None
    with pytest.raises(PostRemoved):
        services.comment_create(
            user=member.user, slug=group.slug, post_id=post.public_id, body="Again"
        )
    with pytest.raises(PostRemoved):
        services.reaction_toggle(
            user=member.user, slug=group.slug, post_id=post.public_id, emoji="heart"
        )
    assert Comment.objects.count() == 1


def test_only_organizers_pin_lock_and_remove():
    group, owner, member = _group_with_member()
    post = services.post_create(user=owner.user, slug=group.slug, body="Rules")
    for action in (services.post_pin, services.post_lock, services.post_remove):
        with pytest.raises(NotOrganizer):
            action(user=member.user, slug=group.slug, post_id=post.public_id)
    pinned = services.post_pin(user=owner.user, slug=group.slug, post_id=post.public_id)
    assert pinned.pinned is True
    assert Post.objects.filter(pinned=True, locked=False, removed_at=None).count() == 1


def test_removing_a_comment_keeps_its_place():
    group, owner, member = _group_with_member()
    post = services.post_create(user=owner.user, slug=group.slug, body="Hi")
    comment = services.comment_create(
        user=member.user, slug=group.slug, post_id=post.public_id, body="Rude"
    )
    with pytest.raises(NotOrganizer):
        services.comment_remove(
            user=member.user, slug=group.slug, post_id=post.public_id, comment_id=comment.public_id
        )
    removed = services.comment_remove(
        user=owner.user, slug=group.slug, post_id=post.public_id, comment_id=comment.public_id
    )
    assert removed.removed_at is not None
    with pytest.raises(CommentNotFound):
        services.comment_remove(
            user=owner.user, slug=group.slug, post_id=post.public_id, comment_id="nosuchcomment"
        )


def test_reactions_toggle_per_member_target_and_emoji():
    # given
    group, owner, member = _group_with_member()
    post = services.post_create(user=owner.user, slug=group.slug, body="Hi")
    comment = services.comment_create(
        user=member.user, slug=group.slug, post_id=post.public_id, body="Yo"
    )
    toggle = {"slug": group.slug, "post_id": post.public_id}
    # when
    first = services.reaction_toggle(user=member.user, emoji="heart", **toggle)
    other = services.reaction_toggle(user=member.user, emoji="party", **toggle)
    theirs = services.reaction_toggle(user=owner.user, emoji="heart", **toggle)
    on_comment = services.reaction_toggle(
        user=owner.user, emoji="heart", comment_id=comment.public_id, **toggle
    )
    again = services.reaction_toggle(user=member.user, emoji="heart", **toggle)
    # then
    assert (first, other, theirs, on_comment, again) == (True, True, True, True, False)
    assert sorted(Reaction.objects.filter(post=post).values_list("emoji", flat=True)) == [
        "heart",
        "party",
    ]
    assert Reaction.objects.filter(comment=comment).count() == 1
    with pytest.raises(GroupInvalid):
        services.reaction_toggle(user=member.user, emoji="poop", **toggle)
    with pytest.raises(CommentNotFound):
        services.reaction_toggle(
            user=member.user, emoji="heart", comment_id="nosuchcomment", **toggle
        )


def test_a_member_who_leaves_a_private_group_while_commenting_cannot_comment(monkeypatch):
    # given: a private group's post, and a member who leaves between the first membership
    # check and the transaction (as a concurrent request would)
    owner, member = ProfileFactory(), ProfileFactory()
    group = make_group(owner, visibility="private")
    add_member(group, member)
    post = services.post_create(user=owner.user, slug=group.slug, body="Hello")
    original = services.clean_text

    def leave_then_clean(*args, **kwargs):
        group_leave(user=member.user, slug=group.slug)
        return original(*args, **kwargs)

    monkeypatch.setattr(services, "clean_text", leave_then_clean)
    # when / then
    with pytest.raises(ApplicationError):
        services.comment_create(
            user=member.user, slug=group.slug, post_id=post.public_id, body="Hi"
        )
    assert not Comment.objects.filter(post=post).exists()
