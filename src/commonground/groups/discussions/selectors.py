"""Discussion reads. The one visibility rule for posts and comments lives here.

A viewer may read a post when
- they are a signed-in member (visitors read no discussions), and
- the post's group is public, or they are an active member of it (a private group's posts
  are for its members; a secret group's are for its members, like the group itself), and
- its author is not someone they blocked or who blocked them.

A comment follows its post, with the same rule for its author. Every channel (group page,
post page, hashtag page, API, notifications) goes through `q_post_visible_to` or
`post_visible`, so they cannot disagree. To anyone else a post does not exist: 404.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from commonground.core.markdown import render_markdown
from commonground.core.pagination import Page
from commonground.groups.errors import PostNotFound
from commonground.groups.models import (
    Comment,
    Emoji,
    GroupVisibility,
    Membership,
    MembershipState,
    Post,
    Reaction,
)
from commonground.groups.selectors import GroupView
from commonground.profiles.models import Profile
from commonground.profiles.selectors import Viewer


def q_post_visible_to(viewer: Viewer, *, prefix: str = "") -> Q:
    """The rule as a filter, for every list of posts."""
    if not viewer.is_member:
        return Q(pk__in=[])
    user_id: int = viewer.user_id  # type: ignore[assignment]
    joined = Membership.objects.filter(user_id=user_id, state=MembershipState.ACTIVE).values(
        "group_id"
    )
    q = Q(**{f"{prefix}group__visibility": GroupVisibility.PUBLIC}) | Q(
        **{f"{prefix}group_id__in": joined}
    )
    if viewer.blocked:
        q &= ~Q(**{f"{prefix}author_id__in": sorted(viewer.blocked)})
    return q


def post_visible(*, post: Post, membership: Membership | None, viewer: Viewer) -> bool:
    """The same rule for one post, for the detail channel; membership is the viewer's row
    in the post's group (or None)."""
    if not viewer.is_member or post.author_id in viewer.blocked:
        return False
    if post.group.visibility == GroupVisibility.PUBLIC:
        return True
    return (
        membership is not None
        and membership.user_id == viewer.user_id
        and membership.group_id == post.group_id
        and membership.state == MembershipState.ACTIVE
    )


def comment_visible(*, comment: Comment, viewer: Viewer) -> bool:
    """A comment of a post the viewer may read: hidden only when its author is blocked."""
    return comment.author_id not in viewer.blocked


def posts_visible_to(viewer: Viewer) -> QuerySet[Post]:
    return Post.objects.filter(q_post_visible_to(viewer))


@dataclass(frozen=True)
class AuthorRef:
    public_id: str
    display_name: str


@dataclass(frozen=True)
class ReactionCount:
    emoji: str
    symbol: str
    count: int
    mine: bool


@dataclass
class CommentView:
    comment: Comment
    author: AuthorRef
    reactions: list[ReactionCount] = field(default_factory=list)

    @property
    def public_id(self) -> str:
        return self.comment.public_id

    @property
    def body_html(self) -> str:
        return "" if self.comment.is_removed else render_markdown(self.comment.body)


@dataclass
class PostView:
    """A post as one viewer may see it. A removed post keeps its place but shows nothing."""

    post: Post
    author: AuthorRef
    hashtags: list[str]
    reactions: list[ReactionCount] = field(default_factory=list)
    comments: list[CommentView] = field(default_factory=list)
    can_moderate: bool = False
    can_comment: bool = False
    can_react: bool = False
    # Comments this viewer may read: those of members blocked either way are not counted.
    comment_count: int = 0

    @property
    def public_id(self) -> str:
        return self.post.public_id

    @property
    def body_html(self) -> str:
        return "" if self.post.is_removed else render_markdown(self.post.body)

    @property
    def link_domain(self) -> str:
        return link_domain(self.post.link_url)


def link_domain(url: str) -> str:
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "") if url else ""
    return host.removeprefix("www.")


def _authors(user_ids: Iterable[int]) -> dict[int, AuthorRef]:
    rows = Profile.objects.filter(user_id__in=set(user_ids)).values_list(
        "user_id", "user__public_id", "display_name"
    )
    return {uid: AuthorRef(public_id=pid, display_name=name or "Member") for uid, pid, name in rows}


def _author(authors: dict[int, AuthorRef], user_id: int) -> AuthorRef:
    return authors.get(user_id, AuthorRef(public_id="", display_name="Member"))


def _reaction_counts(
    rows: Iterable[tuple[int, str, int]], *, viewer: Viewer
) -> dict[int, list[ReactionCount]]:
    """(target id, emoji, user id) rows → counts per target, in the fixed emoji order."""
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    mine: set[tuple[int, str]] = set()
    for target, emoji, user_id in rows:
        counts[target][emoji] += 1
        if user_id == viewer.user_id:
            mine.add((target, emoji))
    return {
        target: [
            ReactionCount(emoji=e.value, symbol=e.label, count=c[e.value], mine=(target, e) in mine)
            for e in Emoji
            if c[e.value]
        ]
        for target, c in counts.items()
    }


def _post_views(
    posts: list[Post], *, viewer: Viewer, group_view: GroupView | None
) -> list[PostView]:
    """Views for a page of posts in a fixed number of queries, whatever their number."""
    ids = [p.pk for p in posts]
    authors = _authors(p.author_id for p in posts)
    tags: dict[int, list[str]] = defaultdict(list)
    through = Post.hashtags.through
    for post_id, name in through.objects.filter(post_id__in=ids).values_list(
        "post_id", "hashtag__name"
    ):
        tags[post_id].append(name)
    reactions = _reaction_counts(
        Reaction.objects.filter(post_id__in=ids)
        .exclude(user_id__in=sorted(viewer.blocked))
        .values_list("post_id", "emoji", "user_id"),
        viewer=viewer,
    )
    hidden_comments: Counter[int] = Counter()
    if viewer.blocked and ids:
        hidden_comments.update(
            Comment.objects.filter(
                post_id__in=ids, author_id__in=sorted(viewer.blocked)
            ).values_list("post_id", flat=True)
        )
    is_member = group_view is not None and group_view.is_member
    return [
        PostView(
            post=p,
            author=_author(authors, p.author_id),
            hashtags=sorted(tags[p.pk]) if not p.is_removed else [],
            reactions=reactions.get(p.pk, []) if not p.is_removed else [],
            can_moderate=group_view is not None and group_view.is_organizer,
            can_comment=is_member and not p.locked and not p.is_removed,
            can_react=is_member and not p.is_removed,
            comment_count=max(p.comment_count - hidden_comments[p.pk], 0),
        )
        for p in posts
    ]


def post_list_for_group(
    *, viewer: Viewer, group_view: GroupView, page: int = 1, size: int = 20
) -> Page[PostView]:
    """A group's posts this viewer may read: pinned first, then newest."""
    posts = posts_visible_to(viewer).filter(group=group_view.group)
    total = posts.count()
    start = (page - 1) * size
    rows = list(
        posts.select_related("group").order_by("-pinned", "-created_at", "-pk")[
            start : start + size
        ]
    )
    return Page(
        items=_post_views(rows, viewer=viewer, group_view=group_view),
        number=page,
        size=size,
        total=total,
    )


def post_get(*, viewer: Viewer, group_view: GroupView, public_id: str) -> PostView:
    """One post with its comments; PostNotFound when hidden or missing alike."""
    post = (
        Post.objects.filter(public_id=public_id, group=group_view.group)
        .select_related("group")
        .first()
    )
    if post is None or not post_visible(post=post, membership=group_view.membership, viewer=viewer):
        raise PostNotFound("No such post.")
    view = _post_views([post], viewer=viewer, group_view=group_view)[0]
    if not post.is_removed:
        view.comments = comment_list(viewer=viewer, post=post)
    return view


def comment_list(*, viewer: Viewer, post: Post) -> list[CommentView]:
    """The comments of a post the caller has already checked the viewer may read."""
    comments = list(
        post.comments.exclude(author_id__in=sorted(viewer.blocked)).order_by("created_at", "pk")
    )
    authors = _authors(c.author_id for c in comments)
    reactions = _reaction_counts(
        Reaction.objects.filter(comment_id__in=[c.pk for c in comments])
        .exclude(user_id__in=sorted(viewer.blocked))
        .values_list("comment_id", "emoji", "user_id"),
        viewer=viewer,
    )
    return [
        CommentView(
            comment=c,
            author=_author(authors, c.author_id),
            reactions=reactions.get(c.pk, []) if not c.is_removed else [],
        )
        for c in comments
    ]


@dataclass
class TaggedPost:
    """A post on a hashtag page, with the group it was posted in."""

    view: PostView
    group_slug: str
    group_name: str


def hashtag_posts(*, viewer: Viewer, tag: str, page: int = 1, size: int = 20) -> Page[TaggedPost]:
    """Posts with this hashtag across every group, as far as this viewer may read them."""
    posts = posts_visible_to(viewer).filter(hashtags__name=tag, removed_at__isnull=True)
    total = posts.count()
    start = (page - 1) * size
    rows = list(posts.select_related("group").order_by("-created_at", "-pk")[start : start + size])
    views = _post_views(rows, viewer=viewer, group_view=None)
    items = [
        TaggedPost(view=v, group_slug=p.group.slug, group_name=p.group.name)
        for v, p in zip(views, rows, strict=True)
    ]
    return Page(items=items, number=page, size=size, total=total)
