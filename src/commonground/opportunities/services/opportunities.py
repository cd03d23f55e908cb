"""Opportunity writes: post, change status, close the expired ones, tell who fits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.validation import clean_text
from commonground.groups.errors import GroupNotFound
from commonground.groups.models import Group
from commonground.groups.selectors import group_get
from commonground.interests.models import Interest, InterestStatus
from commonground.network.services.members import member_for
from commonground.opportunities.errors import (
    BadTransition,
    NotPoster,
    OpportunityInvalid,
)
from commonground.opportunities.models import (
    COMPENSATION_MAX_LENGTH,
    DESCRIPTION_MAX_LENGTH,
    MAX_AUDIENCE_GROUPS,
    MAX_AUDIENCE_MEMBERS,
    MAX_TAGS,
    ORGANIZATION_MAX_LENGTH,
    PLACE_MAX_LENGTH,
    TITLE_MAX_LENGTH,
    Audience,
    MatchNotice,
    Opportunity,
    OpportunityKind,
    OpportunityStatus,
)
from commonground.opportunities.selectors.matching import fitting_member_ids
from commonground.opportunities.selectors.opportunities import opportunity_get
from commonground.opportunities.selectors.visibility import opportunity_is_open
from commonground.opportunities.services.notices import KIND_MATCH, tell
from commonground.profiles.errors import MemberNotFound
from commonground.profiles.selectors import Viewer

MAX_AHEAD = timedelta(days=366)
MATCH_NOTIFY_LIMIT = 20
MATCH_CANDIDATES = 200


def _clean_tags(items: Sequence[Interest], *, field: str) -> list[Interest]:
    unique = list({i.pk: i for i in items}.values())
    if len(unique) > MAX_TAGS:
        raise OpportunityInvalid(f"Choose at most {MAX_TAGS}.", field=field)
    if any(i.status == InterestStatus.MERGED for i in unique):
        raise OpportunityInvalid("Use the interest it was merged into.", field=field)
    return unique


def _clean_expiry(expires_at: datetime | None) -> datetime:
    if expires_at is None:
        raise OpportunityInvalid("Give a closing date.", field="expires_at")
    if timezone.is_naive(expires_at):
        raise OpportunityInvalid("Give the closing time with its time zone.", field="expires_at")
    now = timezone.now()
    if expires_at <= now:
        raise OpportunityInvalid("The closing date must be in the future.", field="expires_at")
    if expires_at > now + MAX_AHEAD:
        raise OpportunityInvalid("Close it within a year.", field="expires_at")
    return expires_at


def _audience_groups(*, user: User, slugs: Sequence[str]) -> list[Group]:
    viewer = Viewer.for_user(user)
    groups = []
    for slug in dict.fromkeys(slugs):
        try:
            view = group_get(viewer=viewer, slug=str(slug)[:32])
        except GroupNotFound:
            raise OpportunityInvalid("No such group.", field="audience_groups") from None
        if not view.is_member:
            raise OpportunityInvalid(
                f"You can share it only with groups you are a member of; you are not in "
                f"“{view.group.name}”.",
                field="audience_groups",
            )
        groups.append(view.group)
    if not groups:
        raise OpportunityInvalid("Choose at least one of your groups.", field="audience_groups")
    if len(groups) > MAX_AUDIENCE_GROUPS:
        raise OpportunityInvalid(
            f"Choose at most {MAX_AUDIENCE_GROUPS} groups.", field="audience_groups"
        )
    return groups


def named_members(*, user: User, public_ids: Sequence[str], field: str) -> list[User]:
    """Members named by public id: findable by the poster (so no block either way)."""
    viewer = Viewer.for_user(user)
    chosen: list[User] = []
    for public_id in dict.fromkeys(str(p).strip() for p in public_ids if str(p).strip()):
        if public_id == user.public_id:
            raise OpportunityInvalid("You see it anyway; name other members.", field=field)
        try:
            chosen.append(member_for(viewer=viewer, public_id=public_id))
        except MemberNotFound:
            raise OpportunityInvalid(f"No member “{public_id[:32]}”.", field=field) from None
    if not chosen:
        raise OpportunityInvalid("Name at least one member.", field=field)
    if len(chosen) > MAX_AUDIENCE_MEMBERS:
        raise OpportunityInvalid(f"Name at most {MAX_AUDIENCE_MEMBERS} members.", field=field)
    return chosen


def opportunity_create(
    *,
    user: User,
    kind: str,
    title: str,
    expires_at: datetime | None,
    audience: str,
    organization: str = "",
    description: str = "",
    skills: Sequence[Interest] = (),
    interests: Sequence[Interest] = (),
    remote: bool = False,
    city: str = "",
    region: str = "",
    country: str = "",
    compensation: str = "",
    audience_groups: Sequence[str] = (),
    audience_members: Sequence[str] = (),
) -> Opportunity:
    """Post an opportunity to the audience chosen; the members in it who fit best are told
    in the background once it is saved."""
    if kind not in OpportunityKind.values:
        raise OpportunityInvalid(
            "Choose job, freelance project, collaboration or volunteer role.", field="kind"
        )
    if audience not in Audience.values:
        raise OpportunityInvalid("Choose who can see it.", field="audience")
    fields: dict[str, object] = {
        "kind": kind,
        "audience": audience,
        "title": clean_text(title, field="title", max_length=TITLE_MAX_LENGTH, required=True),
        "organization": clean_text(
            organization, field="organization", max_length=ORGANIZATION_MAX_LENGTH
        ),
        "description": clean_text(
            description, field="description", max_length=DESCRIPTION_MAX_LENGTH
        ),
        "compensation": clean_text(
            compensation, field="compensation", max_length=COMPENSATION_MAX_LENGTH
        ),
        "remote": bool(remote),
        "expires_at": _clean_expiry(expires_at),
    }
    for level, value in (("city", city), ("region", region), ("country", country)):
        text = clean_text(value, field=level, max_length=PLACE_MAX_LENGTH)
        fields[level] = text
        fields[f"{level}_key"] = text.casefold()
    if not remote and not fields["country"]:
        raise OpportunityInvalid("Give at least the country, or mark it remote.", field="country")
    chosen_skills = _clean_tags(skills, field="skills")
    chosen_interests = _clean_tags(interests, field="interests")
    groups = (
        _audience_groups(user=user, slugs=audience_groups) if audience == Audience.GROUPS else []
    )
    members = (
        named_members(user=user, public_ids=audience_members, field="audience_members")
        if audience == Audience.NAMED
        else []
    )
    with transaction.atomic():
        opportunity = Opportunity.objects.create(poster=user, **fields)
        opportunity.skills.set(chosen_skills)
        opportunity.interests.set(chosen_interests)
        opportunity.audience_groups.set(groups)
        opportunity.audience_members.set(members)
        transaction.on_commit(lambda: _schedule_match_notify(opportunity.pk))
    return opportunity


def _schedule_match_notify(opportunity_id: int) -> None:
    from commonground.opportunities.tasks import notify_opportunity_matches

    notify_opportunity_matches.enqueue(opportunity_id)


def opportunity_match_notify(*, opportunity_id: int) -> int:
    """Tell the best-fitting members of the audience about a new open opportunity: at most
    MATCH_NOTIFY_LIMIT, each at most once however often this runs (a MatchNotice row per
    member, unique), and only members the visibility rule lets see it."""
    from commonground.opportunities.selectors.visibility import opportunity_visible

    with transaction.atomic():
        # One run at a time per opportunity (the row lock), so two runs together never tell
        # more than MATCH_NOTIFY_LIMIT members between them.
        opportunity = (
            Opportunity.objects.select_for_update(of=("self",))
            .filter(pk=opportunity_id)
            .select_related("poster")
            .first()
        )
        if opportunity is None or not opportunity_is_open(opportunity):
            return 0
        told = MatchNotice.objects.filter(opportunity=opportunity).count()
        sent = 0
        for user_id, _score in fitting_member_ids(opportunity, limit=MATCH_CANDIDATES):
            if told + sent >= MATCH_NOTIFY_LIMIT:
                break
            recipient = User.objects.filter(pk=user_id, is_active=True).first()
            if recipient is None:
                continue
            if not opportunity_visible(opportunity=opportunity, viewer=Viewer.for_user(recipient)):
                continue
            try:
                with transaction.atomic():
                    MatchNotice.objects.create(opportunity=opportunity, user=recipient)
            except IntegrityError:
                continue
            tell(
                recipient=recipient,
                opportunity=opportunity,
                kind=KIND_MATCH,
                text=f"An opportunity that fits you: {opportunity.title}",
                actor=opportunity.poster,
            )
            sent += 1
    return sent


def opportunity_status_set(*, user: User, public_id: str, status: str) -> Opportunity:
    """The poster marks it filled or closed, or opens it again before it expires."""
    if status not in OpportunityStatus.values:
        raise OpportunityInvalid("Choose open, filled or closed.", field="status")
    view = opportunity_get(viewer=Viewer.for_user(user), public_id=public_id)
    if not view.is_poster:
        raise NotPoster("Only the poster can change its status.")
    opportunity = view.opportunity
    if status == OpportunityStatus.OPEN and opportunity.expires_at <= timezone.now():
        raise BadTransition("It has expired; post it again with a new closing date.")
    Opportunity.objects.filter(pk=opportunity.pk).update(status=status, updated_at=timezone.now())
    opportunity.refresh_from_db()
    return opportunity


def opportunity_close_expired(*, now: datetime | None = None) -> int:
    """Close every open opportunity past its closing date. Idempotent: a second run closes
    nothing more. Selectors already treat them as closed; this makes the status say so."""
    return Opportunity.objects.filter(
        status=OpportunityStatus.OPEN, expires_at__lte=now or timezone.now()
    ).update(status=OpportunityStatus.CLOSED, updated_at=timezone.now())
