"""/api/v1: group discussions (posts, comments, reactions, moderation), hashtags,
announcements and unmet niches."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status
from pydantic import Field

from commonground.api.errors import ERRORS, WRITE_ERRORS
from commonground.api.schemas import Text
from commonground.core.errors import NotFound
from commonground.core.http import member_of
from commonground.groups.announcements import group_announce
from commonground.groups.discussions import services as discussions
from commonground.groups.discussions.hashtags import normalize_hashtag
from commonground.groups.discussions.selectors import (
    CommentView,
    PostView,
    hashtag_posts,
    post_get,
    post_list_for_group,
)
from commonground.groups.models import (
    COMMENT_MAX_LENGTH,
    LINK_MAX_LENGTH,
    POST_MAX_LENGTH,
    TITLE_MAX_LENGTH,
)
from commonground.groups.niches import niche_list_for
from commonground.groups.selectors import group_get
from commonground.profiles.api import PUBLIC_ID_PATTERN
from commonground.profiles.selectors import Viewer

router = Router(tags=["groups"])
PublicId = Annotated[str, Field(max_length=16, pattern=PUBLIC_ID_PATTERN)]
EmojiChoice = Literal["thumbs_up", "heart", "party", "idea", "laugh"]


class AuthorOut(Schema):
    id: str
    display_name: str


class ReactionOut(Schema):
    emoji: EmojiChoice
    count: int
    mine: bool


class CommentOut(Schema):
    id: str
    author: AuthorOut
    body: str = Field(description="Markdown; empty when removed")
    body_html: str = Field(description="Rendered and sanitized")
    removed: bool
    reactions: list[ReactionOut]
    created_at: datetime


class PostOut(Schema):
    id: str
    group: str
    author: AuthorOut
    title: str
    body: str = Field(description="Markdown; empty when removed")
    body_html: str = Field(description="Rendered and sanitized")
    link_url: str
    link_domain: str
    hashtags: list[str]
    pinned: bool
    locked: bool
    removed: bool
    comment_count: int
    reactions: list[ReactionOut]
    created_at: datetime


class PostDetailOut(PostOut):
    comments: list[CommentOut]


class PostPageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[PostOut]


class PageQuery(Schema):
    page: Annotated[int, Field(1, ge=1, le=10_000)] = 1
    page_size: Annotated[int, Field(20, ge=1, le=100)] = 20


class PostIn(Schema):
    title: Text = Field("", max_length=TITLE_MAX_LENGTH)
    body: Text = Field(min_length=1, max_length=POST_MAX_LENGTH)
    link_url: Text = Field("", max_length=LINK_MAX_LENGTH)


class CommentIn(Schema):
    body: Text = Field(min_length=1, max_length=COMMENT_MAX_LENGTH)


class ReactionIn(Schema):
    emoji: EmojiChoice
    comment_id: PublicId | None = None


class ReactionStateOut(Schema):
    active: bool = Field(description="Whether your reaction is there now")


class PinIn(Schema):
    pinned: bool = True


class LockIn(Schema):
    locked: bool = True


class AnnouncementOut(Schema):
    group: str
    reached: int = Field(description="Members who match the group and are told of it")
    created_at: datetime


class NicheInterestOut(Schema):
    slug: str
    name: str


class NicheOut(Schema):
    interests: list[NicheInterestOut]
    members_sharing: int
    where: str
    place: str
    scope: str = Field(description="The scope a group for this niche would have")


def _reactions(view: PostView | CommentView) -> list[dict[str, object]]:
    return [{"emoji": r.emoji, "count": r.count, "mine": r.mine} for r in view.reactions]


def _author(view: PostView | CommentView) -> dict[str, str]:
    return {"id": view.author.public_id, "display_name": view.author.display_name}


def post_out(view: PostView, *, group_slug: str) -> dict[str, object]:
    post = view.post
    removed = post.is_removed
    return {
        "id": post.public_id,
        "group": group_slug,
        "author": _author(view),
        "title": "" if removed else post.title,
        "body": "" if removed else post.body,
        "body_html": view.body_html,
        "link_url": "" if removed else post.link_url,
        "link_domain": "" if removed else view.link_domain,
        "hashtags": view.hashtags,
        "pinned": post.pinned,
        "locked": post.locked,
        "removed": removed,
        "comment_count": view.comment_count,
        "reactions": _reactions(view),
        "created_at": post.created_at,
    }


def comment_out(view: CommentView) -> dict[str, object]:
    comment = view.comment
    return {
        "id": comment.public_id,
        "author": _author(view),
        "body": "" if comment.is_removed else comment.body,
        "body_html": view.body_html,
        "removed": comment.is_removed,
        "reactions": _reactions(view),
        "created_at": comment.created_at,
    }


def _post_detail(request: HttpRequest, slug: str, post_id: str) -> dict[str, object]:
    viewer = Viewer.for_user(request.user)
    view = post_get(
        viewer=viewer, group_view=group_get(viewer=viewer, slug=slug), public_id=post_id
    )
    return {
        **post_out(view, group_slug=slug),
        "comments": [comment_out(c) for c in view.comments],
    }


@router.get(
    "/groups/{slug}/posts",
    response={200: PostPageOut, **ERRORS},
    summary="A group's posts you may read: pinned first, then newest",
)
def posts_list(request: HttpRequest, slug: PublicId, q: Query[PageQuery]) -> dict[str, object]:
    viewer = Viewer.for_user(request.user)
    page = post_list_for_group(
        viewer=viewer, group_view=group_get(viewer=viewer, slug=slug), page=q.page, size=q.page_size
    )
    return {
        "count": page.total,
        "page": page.number,
        "pages": page.pages,
        "results": [post_out(v, group_slug=slug) for v in page.items],
    }


@router.post(
    "/groups/{slug}/posts",
    response={201: PostDetailOut, **WRITE_ERRORS},
    summary="Post in a group (members); #hashtags in the body file it under topics",
)
def posts_create(request: HttpRequest, slug: PublicId, payload: PostIn) -> Status:
    post = discussions.post_create(
        user=member_of(request),
        slug=slug,
        title=payload.title,
        body=payload.body,
        link_url=payload.link_url,
    )
    return Status(201, _post_detail(request, slug, post.public_id))


@router.get(
    "/groups/{slug}/posts/{post_id}",
    response={200: PostDetailOut, **ERRORS},
    summary="One post with its comments",
)
def post_detail(request: HttpRequest, slug: PublicId, post_id: PublicId) -> dict[str, object]:
    return _post_detail(request, slug, post_id)


@router.post(
    "/groups/{slug}/posts/{post_id}/comments",
    response={201: CommentOut, **WRITE_ERRORS},
    summary="Comment on a post (members; not on a locked post)",
)
def comment_create(
    request: HttpRequest, slug: PublicId, post_id: PublicId, payload: CommentIn
) -> Status:
    comment = discussions.comment_create(
        user=member_of(request), slug=slug, post_id=post_id, body=payload.body
    )
    detail = _post_detail(request, slug, post_id)
    comments: list[dict[str, object]] = detail["comments"]  # type: ignore[assignment]
    return Status(201, next(c for c in comments if c["id"] == comment.public_id))


@router.post(
    "/groups/{slug}/posts/{post_id}/reactions",
    response={200: ReactionStateOut, **WRITE_ERRORS},
    summary="Add your emoji to a post or one of its comments, or take it back",
)
def reaction_toggle(
    request: HttpRequest, slug: PublicId, post_id: PublicId, payload: ReactionIn
) -> dict[str, bool]:
    active = discussions.reaction_toggle(
        user=member_of(request),
        slug=slug,
        post_id=post_id,
        emoji=payload.emoji,
        comment_id=payload.comment_id or "",
    )
    return {"active": active}


@router.post(
    "/groups/{slug}/posts/{post_id}/pin",
    response={200: PostDetailOut, **WRITE_ERRORS},
    summary="Pin a post to the top, or unpin it (organizers)",
)
def post_pin(
    request: HttpRequest, slug: PublicId, post_id: PublicId, payload: PinIn
) -> dict[str, object]:
    discussions.post_pin(user=member_of(request), slug=slug, post_id=post_id, pinned=payload.pinned)
    return _post_detail(request, slug, post_id)


@router.post(
    "/groups/{slug}/posts/{post_id}/lock",
    response={200: PostDetailOut, **WRITE_ERRORS},
    summary="Lock a post against new comments, or unlock it (organizers)",
)
def post_lock(
    request: HttpRequest, slug: PublicId, post_id: PublicId, payload: LockIn
) -> dict[str, object]:
    discussions.post_lock(
        user=member_of(request), slug=slug, post_id=post_id, locked=payload.locked
    )
    return _post_detail(request, slug, post_id)


@router.post(
    "/groups/{slug}/posts/{post_id}/remove",
    response={200: PostDetailOut, **WRITE_ERRORS},
    summary="Remove a post; it shows as removed by an organizer (organizers)",
)
def post_remove(request: HttpRequest, slug: PublicId, post_id: PublicId) -> dict[str, object]:
    discussions.post_remove(user=member_of(request), slug=slug, post_id=post_id)
    return _post_detail(request, slug, post_id)


@router.post(
    "/groups/{slug}/posts/{post_id}/comments/{comment_id}/remove",
    response={204: None, **WRITE_ERRORS},
    summary="Remove a comment (organizers)",
)
def comment_remove(
    request: HttpRequest, slug: PublicId, post_id: PublicId, comment_id: PublicId
) -> Status:
    discussions.comment_remove(
        user=member_of(request), slug=slug, post_id=post_id, comment_id=comment_id
    )
    return Status(204, None)


@router.get(
    "/tags/{tag}/posts",
    response={200: PostPageOut, **ERRORS},
    summary="Posts with a hashtag across every group, as far as you may read them",
)
def tag_posts(
    request: HttpRequest, tag: Annotated[str, Field(max_length=60)], q: Query[PageQuery]
) -> dict[str, object]:
    name = normalize_hashtag(tag)
    if name is None:
        raise NotFound("No such hashtag.", code="hashtag_not_found")
    page = hashtag_posts(
        viewer=Viewer.for_user(request.user), tag=name, page=q.page, size=q.page_size
    )
    return {
        "count": page.total,
        "page": page.number,
        "pages": page.pages,
        "results": [post_out(t.view, group_slug=t.group_slug) for t in page.items],
    }


@router.post(
    "/groups/{slug}/announce",
    response={201: AnnouncementOut, **WRITE_ERRORS},
    summary="Announce a new group to the members who match it (organizers; once a week per "
    "group, once a day per organizer: 429 past that)",
)
def announce(request: HttpRequest, slug: PublicId) -> Status:
    announcement = group_announce(user=member_of(request), slug=slug)
    return Status(
        201,
        {"group": slug, "reached": announcement.reached, "created_at": announcement.created_at},
    )


@router.get(
    "/niches",
    response={200: list[NicheOut], **ERRORS},
    summary="Groups waiting to be started: combinations of your interests that many members "
    "near you share and no group covers",
)
def niches_for_me(request: HttpRequest) -> list[dict[str, object]]:
    return [
        {
            "interests": [{"slug": i.slug, "name": i.name} for i in n.interests],
            "members_sharing": n.niche.member_count,
            "where": n.where,
            "place": n.niche.place,
            "scope": n.scope,
        }
        for n in niche_list_for(viewer=Viewer.for_user(request.user), limit=20)
    ]
