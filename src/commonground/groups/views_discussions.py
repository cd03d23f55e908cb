"""Discussion pages: posting, a post with its comments and reactions, moderation, and the
hashtag page. Forms work without JavaScript."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from commonground.core.errors import ApplicationError, NotFound
from commonground.core.forms import add_application_error
from commonground.core.http import member_of
from commonground.core.pagination import clamp_page, page_param
from commonground.groups.discussions import services
from commonground.groups.discussions.hashtags import normalize_hashtag
from commonground.groups.discussions.selectors import hashtag_posts, post_get
from commonground.groups.forms import CommentForm, PostForm
from commonground.groups.models import Emoji
from commonground.groups.selectors import GroupView, group_get
from commonground.groups.views import group_detail_context
from commonground.profiles.selectors import Viewer


def _group_or_404(request: HttpRequest, slug: str) -> GroupView:
    try:
        return group_get(viewer=Viewer.for_user(request.user), slug=slug)
    except NotFound:
        raise Http404 from None


@login_required
@require_POST
def post_new(request: HttpRequest, slug: str) -> HttpResponse:
    view = _group_or_404(request, slug)
    form = PostForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            post = services.post_create(
                user=member_of(request),
                slug=slug,
                title=data["title"],
                body=data["body"],
                link_url=data["link_url"],
            )
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, "Posted.")
            return redirect("groups:post", slug=slug, post_id=post.public_id)
    context = group_detail_context(request, view, post_form=form)
    return render(request, "groups/detail.html", context)


def _post_context(request: HttpRequest, slug: str, post_id: str) -> dict[str, object]:
    view = _group_or_404(request, slug)
    try:
        post = post_get(viewer=Viewer.for_user(request.user), group_view=view, public_id=post_id)
    except NotFound:
        raise Http404 from None
    return {"view": view, "group": view.group, "post": post, "emoji_choices": Emoji.choices}


@login_required
@require_http_methods(["GET", "POST"])
def post_detail(request: HttpRequest, slug: str, post_id: str) -> HttpResponse:
    context = _post_context(request, slug, post_id)
    post = context["post"]
    form = CommentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                comment = services.comment_create(
                    user=member_of(request),
                    slug=slug,
                    post_id=post_id,
                    body=form.cleaned_data["body"],
                )
            except ApplicationError as error:
                add_application_error(form, error)
            else:
                messages.success(request, "Comment added.")
                url = reverse("groups:post", args=[slug, post_id])
                return redirect(f"{url}#comment-{comment.public_id}")
        status = 400
    context["comment_form"] = form if getattr(post, "can_comment", False) else None
    return render(request, "groups/post.html", context, status=status)


@login_required
@require_POST
def post_react(request: HttpRequest, slug: str, post_id: str) -> HttpResponse:
    comment_id = request.POST.get("comment", "")[:16]
    try:
        services.reaction_toggle(
            user=member_of(request),
            slug=slug,
            post_id=post_id,
            emoji=request.POST.get("emoji", "")[:16],
            comment_id=comment_id,
        )
    except NotFound:
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
    url = reverse("groups:post", args=[slug, post_id])
    # Only a well-formed comment id goes back into the address (never posted junk).
    anchor = re.fullmatch(r"[A-Za-z0-9_-]{1,16}", comment_id)
    return redirect(f"{url}#comment-{comment_id}" if anchor else url)


_MODERATE = {
    "pin": "Pinned to the top.",
    "unpin": "Unpinned.",
    "lock": "Locked: no new comments.",
    "unlock": "Unlocked.",
    "remove": "Post removed.",
    "remove_comment": "Comment removed.",
}


@login_required
@require_POST
def post_moderate(request: HttpRequest, slug: str, post_id: str) -> HttpResponse:
    action = request.POST.get("action", "")
    if action not in _MODERATE:
        raise Http404
    user = member_of(request)
    try:
        if action in ("pin", "unpin"):
            services.post_pin(user=user, slug=slug, post_id=post_id, pinned=action == "pin")
        elif action in ("lock", "unlock"):
            services.post_lock(user=user, slug=slug, post_id=post_id, locked=action == "lock")
        elif action == "remove":
            services.post_remove(user=user, slug=slug, post_id=post_id)
        else:
            services.comment_remove(
                user=user,
                slug=slug,
                post_id=post_id,
                comment_id=request.POST.get("comment", "")[:16],
            )
    except NotFound as error:
        if error.code in ("group_not_found", "post_not_found"):
            raise Http404 from None
        messages.error(request, error.message)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _MODERATE[action])
    return redirect("groups:post", slug=slug, post_id=post_id)


@login_required
def hashtag_page(request: HttpRequest, tag: str) -> HttpResponse:
    name = normalize_hashtag(tag)
    if name is None:
        raise Http404
    page, size = clamp_page(page_param(request.GET.get("page")), 20)
    results = hashtag_posts(viewer=Viewer.for_user(request.user), tag=name, page=page, size=size)
    return render(request, "groups/hashtag.html", {"tag": name, "results": results})
