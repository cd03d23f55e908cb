"""Ask pages: the asks for you (and offers, and mine), posting one, one ask with its answers."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from commonground.asks import services
from commonground.asks.errors import AskInvalid
from commonground.asks.forms import AnswerForm, AskForm, AskSearchForm
from commonground.asks.models import MAX_ASK_INTERESTS, AskStatus
from commonground.asks.selectors import AskView, ask_get, ask_list_for, my_groups
from commonground.core.errors import ApplicationError, NotFound
from commonground.core.forms import add_application_error
from commonground.core.http import member_of
from commonground.core.pagination import clamp_page
from commonground.interests.filtering import filter_links, filter_redirect, filter_slugs
from commonground.interests.models import Interest
from commonground.interests.selectors import interest_get_many
from commonground.interests.services import interest_for_text
from commonground.profiles.selectors import Viewer

_SLUG = re.compile(r"[a-z0-9_-]{1,90}")
_TAB_TITLES = {"asks": "Asks for you", "offers": "Offers", "mine": "Mine"}
_TAB_HEADINGS = {
    "asks": "Asks for you",
    "offers": "Offers open now",
    "mine": "Your asks and offers",
}


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if response := filter_redirect(request, limit=MAX_ASK_INTERESTS, keep=("tab", "q")):
        return response
    # Interest slugs are [a-z0-9_-]; anything else names no interest and never reaches the
    # database (PostgreSQL refuses a NUL byte with an error).
    raw = [s for s in request.GET.getlist("i") if _SLUG.fullmatch(s.strip())]
    slugs = filter_slugs(raw, limit=MAX_ASK_INTERESTS)
    form = AskSearchForm(request.GET)
    context: dict[str, object] = {"form": form, "filters": [], "results": None, "error": None}
    tab = "asks"
    text = ""
    if form.is_valid():
        tab = form.cleaned_data.get("tab") or "asks"
        text = form.cleaned_data.get("q") or ""
        try:
            filters = interest_get_many(slugs=slugs)
            context["filters"] = filters
            page, size = clamp_page(form.cleaned_data.get("page"), 20)
            context["results"] = ask_list_for(
                viewer=Viewer.for_user(request.user),
                tab=tab,
                text=text,
                interest_ids=[i.pk for i in filters],
                page=page,
                size=size,
            )
        except ApplicationError as error:
            context["error"] = error.message
    else:
        context["error"] = "Check the search below."
    others = [("tab", tab)] + ([("q", text)] if text else [])
    context.update(filter_links(slugs, others))
    context["tab"] = tab
    context["tab_title"] = _TAB_HEADINGS[tab]
    context["searching"] = bool(slugs or text)
    context["tabs"] = list(_TAB_TITLES.items())
    return render(request, "asks/index.html", context)


def _interests_from_text(text: str, request: HttpRequest) -> list[Interest]:
    parts = [p.strip() for p in text.split(",") if p.strip()]
    if len(parts) > MAX_ASK_INTERESTS:
        raise AskInvalid(f"Choose at most {MAX_ASK_INTERESTS} interests.", field="interests")
    return [
        interest_for_text(text=part, user=member_of(request), allow_new=False) for part in parts
    ]


@login_required
@require_http_methods(["GET", "POST"])
def ask_new(request: HttpRequest) -> HttpResponse:
    user = member_of(request)
    groups = my_groups(viewer=Viewer.for_user(user))
    initial: dict[str, object] = {}
    if request.GET.get("kind") == "offer":
        initial["kind"] = "offer"
    form = AskForm(request.POST or None, groups=groups, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ask = services.ask_create(
                user=user,
                kind=data["kind"],
                topic=data["topic"],
                title=data["title"],
                body=data["body"],
                interests=_interests_from_text(data["interests"], request),
                audience=data["audience"],
                group_slug=data["group"] or "",
            )
        except ApplicationError as error:
            if error.field == "interest":
                error.field = "interests"
            add_application_error(form, error)
            status = error.status if error.status == 429 else 200
        else:
            messages.success(
                request,
                "Your offer is posted."
                if ask.is_offer
                else "Your ask is posted. We are asking the members most likely to help.",
            )
            return redirect("asks:detail", public_id=ask.public_id)
    return render(request, "asks/new.html", {"form": form, "groups": groups}, status=status)


def _visible_or_404(request: HttpRequest, public_id: str) -> AskView:
    try:
        return ask_get(viewer=Viewer.for_user(request.user), public_id=public_id)
    except NotFound:
        raise Http404 from None


def _detail(request: HttpRequest, view: AskView, answer_form: AnswerForm | None) -> HttpResponse:
    mine = view.my_answer
    if answer_form is None and (view.can_answer or mine is not None):
        answer_form = AnswerForm(
            initial={"body": mine.body if mine else ""}, offer=view.ask.is_offer
        )
    return render(
        request,
        "asks/detail.html",
        {"view": view, "ask": view.ask, "answer_form": answer_form, "my_answer": mine},
    )


@login_required
def ask_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    return _detail(request, _visible_or_404(request, public_id), None)


@login_required
@require_POST
def answer_save(request: HttpRequest, public_id: str) -> HttpResponse:
    """Answer, or edit one's answer: one form, since a member answers an ask once."""
    view = _visible_or_404(request, public_id)
    form = AnswerForm(request.POST, offer=view.ask.is_offer)
    if form.is_valid():
        user = member_of(request)
        mine = view.my_answer
        try:
            if mine is None:
                services.answer_create(
                    user=user, ask_public_id=public_id, body=form.cleaned_data["body"]
                )
                done = "Thank you! Your answer is posted."
            else:
                services.answer_update(
                    user=user,
                    ask_public_id=public_id,
                    answer_public_id=mine.public_id,
                    body=form.cleaned_data["body"],
                )
                done = "Your answer is updated."
        except ApplicationError as error:
            add_application_error(form, error)
        else:
            messages.success(request, done)
            return redirect("asks:detail", public_id=public_id)
    return _detail(request, view, form)


@login_required
@require_POST
def answer_helpful(request: HttpRequest, public_id: str, answer_id: str) -> HttpResponse:
    helpful = request.POST.get("helpful", "1") != "0"
    try:
        services.answer_mark_helpful(
            user=member_of(request),
            ask_public_id=public_id,
            answer_public_id=answer_id[:16],
            helpful=helpful,
        )
    except NotFound as error:
        if error.code == "ask_not_found":
            raise Http404 from None
        messages.error(request, error.message)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Marked as helpful." if helpful else "Mark taken back.")
    return redirect("asks:detail", public_id=public_id)


_STATUS_DONE = {
    AskStatus.RESOLVED: "Marked as resolved. Glad it worked out!",
    AskStatus.CLOSED: "Closed: no new answers.",
    AskStatus.OPEN: "Open again.",
}


@login_required
@require_POST
def ask_status(request: HttpRequest, public_id: str) -> HttpResponse:
    status = request.POST.get("status", "")
    try:
        ask = services.ask_status_set(user=member_of(request), public_id=public_id, status=status)
    except NotFound:
        raise Http404 from None
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _STATUS_DONE[AskStatus(ask.status)])
    return redirect("asks:detail", public_id=public_id)
