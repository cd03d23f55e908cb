"""Discussion writes: posts, comments, reactions, and the organizers' pin, lock and remove.

Only active members write; organizers moderate. Every write first reads through the same
visibility rule as the pages (a hidden post is PostNotFound, like a missing one).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.validation import clean_text, is_public_id
from commonground.groups.discussions.hashtags import hashtags_in
from commonground.groups.discussions.selectors import comment_visible, post_visible
from commonground.groups.errors import (
    CommentNotFound,
    GroupInvalid,
    NotGroupMember,
    NotOrganizer,
    PostLocked,
    PostNotFound,
    PostRemoved,
)
from commonground.groups.models import (
    COMMENT_MAX_LENGTH,
    LINK_MAX_LENGTH,
    POST_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Comment,
    Emoji,
    Hashtag,
    Membership,
    Post,
    Reaction,
)
from commonground.groups.selectors import GroupView, group_get
from commonground.notifications.services import notify
from commonground.profiles.selectors import Viewer

_URL = URLValidator(schemes=["http", "https"])


def _clean_link(url: str) -> str:
    url = clean_text(url, field="link_url", max_length=LINK_MAX_LENGTH)
    if not url:
        return ""
    try:
        _URL(url)
    except ValidationError:
        raise GroupInvalid("Give a full web address: https://…", field="link_url") from None
    return url


def _as_member(*, user: User, slug: str) -> GroupView:
    view = group_get(viewer=Viewer.for_user(user), slug=slug)
    if not view.is_member:
        raise NotGroupMember("Only the group's members can take part in its discussions.")
    return view


def _visible_post(*, user: User, view: GroupView, public_id: str, lock: bool = False) -> Post:
    posts = Post.objects.filter(public_id=public_id, group=view.group).select_related("group")
    post = (posts.select_for_update() if lock else posts).first()
    if post is None or not post_visible(
        post=post, membership=view.membership, viewer=Viewer.for_user(user)
    ):
        raise PostNotFound("No such post.")
    return post


def post_create(*, user: User, slug: str, body: str, title: str = "", link_url: str = "") -> Post:
    """A new post in a group; members only. Hashtags come from the body."""
    view = _as_member(user=user, slug=slug)
    title = clean_text(title, field="title", max_length=TITLE_MAX_LENGTH)
    body = clean_text(body, field="body", max_length=POST_MAX_LENGTH, required=True)
    link = _clean_link(link_url)
    tags = hashtags_in(f"{title}\n{body}")
    with transaction.atomic():
        post = Post.objects.create(
            group=view.group, author=user, title=title, body=body, link_url=link
        )
        if tags:
            Hashtag.objects.bulk_create([Hashtag(name=t) for t in tags], ignore_conflicts=True)
            post.hashtags.set(Hashtag.objects.filter(name__in=tags))
    return post


def comment_create(*, user: User, slug: str, post_id: str, body: str) -> Comment:
    """A comment on a post; members only, never on a locked or removed post. The post's
    author hears of it (not of their own comments)."""
    view = _as_member(user=user, slug=slug)
    body = clean_text(body, field="body", max_length=COMMENT_MAX_LENGTH, required=True)
    with transaction.atomic():
        # Lock the member's own membership and look again, so a member leaving (or removed)
        # at this moment cannot comment after all.
        list(
            Membership.objects.select_for_update()
            .filter(group_id=view.group.pk, user=user)
            .values_list("pk", flat=True)
        )
        view = _as_member(user=user, slug=slug)
        # The row lock orders this comment after a concurrent lock or removal.
        post = _visible_post(user=user, view=view, public_id=post_id, lock=True)
        if post.is_removed:
            raise PostRemoved("This post was removed by an organizer.")
        if post.locked:
            raise PostLocked("This post is locked: it takes no new comments.", field="body")
        comment = Comment.objects.create(post=post, author=user, body=body)
        Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
        if post.author_id != user.pk:
            transaction.on_commit(lambda: _notify_reply(post=post, comment=comment))
    return comment


def _notify_reply(*, post: Post, comment: Comment) -> None:
    author = User.objects.filter(pk=post.author_id, is_active=True).first()
    if author is None:
        return
    # The author hears only what they may still read: their membership may have ended, or
    # they may have blocked the commenter since.
    reader = Viewer.for_user(author)
    membership = post.group.memberships.filter(user=author).first()
    if not post_visible(post=post, membership=membership, viewer=reader):
        return
    if not comment_visible(comment=comment, viewer=reader):
        return
    label = post.title or "your post"
    notify(
        recipient=author,
        kind="groups.reply",
        text=f"New comment on {label} in {post.group.name}",
        url=f"/groups/{post.group.slug}/posts/{post.public_id}/#comment-{comment.public_id}",
        actor=comment.author,
        thread_key=f"group-post:{post.public_id}",
    )


def reaction_toggle(
    *, user: User, slug: str, post_id: str, emoji: str, comment_id: str = ""
) -> bool:
    """Add the member's emoji to a post (or one of its comments), or take it back.
    Answers whether the reaction is now there."""
    if emoji not in Emoji.values:
        raise GroupInvalid("Choose one of 👍 ❤️ 🎉 💡 😂.", field="emoji")
    view = _as_member(user=user, slug=slug)
    post = _visible_post(user=user, view=view, public_id=post_id)
    if post.is_removed:
        raise PostRemoved("This post was removed by an organizer.")
    target: dict[str, object] = {"post": post}
    if comment_id:
        if not is_public_id(comment_id):
            raise CommentNotFound("No such comment.")
        comment = post.comments.filter(public_id=comment_id, removed_at__isnull=True).first()
        if comment is None or not comment_visible(comment=comment, viewer=Viewer.for_user(user)):
            raise CommentNotFound("No such comment.")
        target = {"comment": comment}
    with transaction.atomic():
        deleted, _ = Reaction.objects.filter(user=user, emoji=emoji, **target).delete()
        if deleted:
            return False
        try:
            with transaction.atomic():
                Reaction.objects.create(user=user, emoji=emoji, **target)
        except IntegrityError:
            pass  # the same toggle raced us to it: the reaction is there either way
    return True


def _as_moderator(*, user: User, slug: str) -> GroupView:
    view = group_get(viewer=Viewer.for_user(user), slug=slug)
    if not view.is_organizer:
        raise NotOrganizer("Only the group's organizers can do that.")
    return view


def post_pin(*, user: User, slug: str, post_id: str, pinned: bool = True) -> Post:
    view = _as_moderator(user=user, slug=slug)
    post = _visible_post(user=user, view=view, public_id=post_id)
    Post.objects.filter(pk=post.pk).update(pinned=pinned)
    post.refresh_from_db()
    return post


def post_lock(*, user: User, slug: str, post_id: str, locked: bool = True) -> Post:
    view = _as_moderator(user=user, slug=slug)
    post = _visible_post(user=user, view=view, public_id=post_id)
    Post.objects.filter(pk=post.pk).update(locked=locked)
    post.refresh_from_db()
    return post


def post_remove(*, user: User, slug: str, post_id: str) -> Post:
    """Take a post down; it stays in place as "removed by an organizer". Idempotent."""
    view = _as_moderator(user=user, slug=slug)
    post = _visible_post(user=user, view=view, public_id=post_id)
    Post.objects.filter(pk=post.pk, removed_at__isnull=True).update(
        removed_at=timezone.now(), pinned=False
    )
    post.refresh_from_db()
    return post


def comment_remove(*, user: User, slug: str, post_id: str, comment_id: str) -> Comment:
    """Take a comment down (organizers); it stays as "removed by an organizer"."""
    view = _as_moderator(user=user, slug=slug)
    post = _visible_post(user=user, view=view, public_id=post_id)
    if not is_public_id(comment_id):
        raise CommentNotFound("No such comment.")
    comment = post.comments.filter(public_id=comment_id).first()
    if comment is None:
        raise CommentNotFound("No such comment.")
    Comment.objects.filter(pk=comment.pk, removed_at__isnull=True).update(removed_at=timezone.now())
    comment.refresh_from_db()
    return comment
