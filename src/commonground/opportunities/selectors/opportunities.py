"""Opportunity reads for display: one, the open ones (searched), and the poster's own."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from commonground.core.errors import ValidationFailed
from commonground.core.markdown import render_markdown
from commonground.core.pagination import Page
from commonground.interests.models import Interest
from commonground.network.services.members import is_public_id
from commonground.opportunities.errors import OpportunityNotFound
from commonground.opportunities.models import Opportunity, OpportunityKind
from commonground.opportunities.selectors.visibility import (
    opportunity_is_open,
    q_opportunity_open,
    q_opportunity_visible_to,
)
from commonground.profiles.selectors import Viewer

SEARCH_MAX_LENGTH = 100
MAX_SEARCH_SKILLS = 5


@dataclass
class OpportunityView:
    """An opportunity as one viewer may see it."""

    opportunity: Opportunity
    skills: list[Interest]
    interests: list[Interest]
    poster_name: str
    poster_public_id: str
    is_poster: bool
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    matched: set[int] = field(default_factory=set)

    @property
    def public_id(self) -> str:
        return self.opportunity.public_id

    @property
    def is_open(self) -> bool:
        return opportunity_is_open(self.opportunity)

    @property
    def state_label(self) -> str:
        if self.is_open:
            return "Open"
        if self.opportunity.status == "filled":
            return "Filled"
        return "Closed"

    @property
    def reason(self) -> str:
        return " · ".join(self.reasons)

    @property
    def description_html(self) -> str:
        return render_markdown(self.opportunity.description)


def opportunities_visible_to(viewer: Viewer) -> QuerySet[Opportunity]:
    return Opportunity.objects.filter(q_opportunity_visible_to(viewer))


def _with_related(rows: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return rows.select_related("poster__profile").prefetch_related("skills", "interests")


def opportunity_view_build(opportunity: Opportunity, *, viewer: Viewer) -> OpportunityView:
    poster = opportunity.poster
    profile = getattr(poster, "profile", None)
    return OpportunityView(
        opportunity=opportunity,
        skills=sorted(opportunity.skills.all(), key=lambda i: i.name),
        interests=sorted(opportunity.interests.all(), key=lambda i: i.name),
        poster_name=(profile.display_name if profile else "") or "Member",
        poster_public_id=poster.public_id,
        is_poster=poster.pk == viewer.user_id,
    )


def opportunity_get(*, viewer: Viewer, public_id: str) -> OpportunityView:
    """One opportunity as this viewer may see it; OpportunityNotFound when hidden or missing
    alike."""
    row = (
        _with_related(opportunities_visible_to(viewer)).filter(public_id=public_id).first()
        if is_public_id(public_id)
        else None
    )
    if row is None:
        raise OpportunityNotFound("No such opportunity.")
    return opportunity_view_build(row, viewer=viewer)


def opportunity_search_rows(
    *,
    viewer: Viewer,
    text: str = "",
    skill_ids: list[int] | None = None,
    kind: str = "",
    remote: bool | None = None,
) -> QuerySet[Opportunity]:
    """The open opportunities this viewer may see, narrowed by the search filters."""
    text = (text or "").strip()
    if len(text) > SEARCH_MAX_LENGTH or any(ord(ch) < 32 for ch in text):
        raise ValidationFailed(
            f"Search with at most {SEARCH_MAX_LENGTH} plain characters.", field="q"
        )
    if kind and kind not in OpportunityKind.values:
        raise ValidationFailed("Choose job, freelance, collaboration or volunteer.", field="kind")
    skill_ids = list(dict.fromkeys(skill_ids or []))
    if len(skill_ids) > MAX_SEARCH_SKILLS:
        raise ValidationFailed(f"Search at most {MAX_SEARCH_SKILLS} skills.", field="skills")
    rows = opportunities_visible_to(viewer).filter(q_opportunity_open())
    for word in text.split()[:8]:
        rows = rows.filter(
            Q(title__icontains=word)
            | Q(organization__icontains=word)
            | Q(description__icontains=word)
        )
    through = Opportunity.skills.through
    for skill_id in skill_ids:
        rows = rows.filter(
            pk__in=through.objects.filter(interest_id=skill_id).values("opportunity_id")
        )
    if kind:
        rows = rows.filter(kind=kind)
    if remote is not None:
        rows = rows.filter(remote=remote)
    return rows


def opportunity_list(
    *,
    viewer: Viewer,
    text: str = "",
    skill_ids: list[int] | None = None,
    kind: str = "",
    remote: bool | None = None,
    page: int = 1,
    size: int = 20,
) -> Page[OpportunityView]:
    """Open opportunities this viewer may see, newest first, with the search filters."""
    rows = opportunity_search_rows(
        viewer=viewer, text=text, skill_ids=skill_ids, kind=kind, remote=remote
    )
    total = rows.count()
    start = (page - 1) * size
    chosen = _with_related(rows).order_by("-created_at", "-pk")[start : start + size]
    items = [opportunity_view_build(row, viewer=viewer) for row in chosen]
    return Page(items=items, number=page, size=size, total=total)


def opportunity_list_mine(*, viewer: Viewer) -> list[OpportunityView]:
    """The viewer's own opportunities, open or not, newest first."""
    if viewer.user_id is None:
        return []
    rows = _with_related(Opportunity.objects.filter(poster_id=viewer.user_id)).order_by(
        "-created_at", "-pk"
    )[:200]
    return [opportunity_view_build(row, viewer=viewer) for row in rows]
