"""Referrals, requests for one, and interest expressed directly.

A referral needs the candidate's consent before the poster sees it: it starts
awaiting_candidate, the candidate agrees (submitted) or declines (withdrawn), then the poster
moves it through reviewing, interviewing, hired or declined. One active referral per
(opportunity, candidate) is the database's rule, so concurrent identical referrals make one.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from commonground.accounts.models import User
from commonground.core.validation import clean_text
from commonground.network.services.members import is_public_id, member_for
from commonground.opportunities.errors import (
    BadTransition,
    CannotRefer,
    NotConnected,
    NotPoster,
    OpportunityClosed,
    OpportunityInvalid,
)
from commonground.opportunities.models import (
    ENDED_REFERRAL_STATES,
    NOTE_MAX_LENGTH,
    InterestExpression,
    Referral,
    ReferralRequest,
    ReferralRequestStatus,
    ReferralStatus,
)
from commonground.opportunities.selectors.opportunities import OpportunityView, opportunity_get
from commonground.opportunities.selectors.referrals import (
    connections_at_organization,
    referral_get,
)
from commonground.opportunities.selectors.visibility import opportunity_is_open
from commonground.opportunities.services.notices import KIND_REFERRAL, display_name, tell
from commonground.profiles.selectors import Viewer

S = ReferralStatus
# What the poster may move a referral to, from each state.
POSTER_MOVES: dict[str, tuple[str, ...]] = {
    S.SUBMITTED: (S.REVIEWING, S.INTERVIEWING, S.HIRED, S.DECLINED),
    S.REVIEWING: (S.INTERVIEWING, S.HIRED, S.DECLINED),
    S.INTERVIEWING: (S.HIRED, S.DECLINED),
}
REFERRALS_URL = "/referrals/"
CANNOT_REFER = "You can't refer them to this opportunity."


def _open_view(*, user: User, public_id: str) -> tuple[Viewer, OpportunityView]:
    viewer = Viewer.for_user(user)
    view = opportunity_get(viewer=viewer, public_id=public_id)
    if not view.is_open:
        raise OpportunityClosed("This opportunity is closed.")
    return viewer, view


def referral_create(
    *, user: User, opportunity_public_id: str, candidate_public_id: str, note: str = ""
) -> Referral:
    """Refer one of your connections. They are asked first; the poster sees it once they
    agree (at once when they had asked you for it). Repeating it answers with the same one."""
    note = clean_text(note, field="note", max_length=NOTE_MAX_LENGTH)
    viewer, view = _open_view(user=user, public_id=opportunity_public_id)
    opportunity = view.opportunity
    candidate = member_for(viewer=viewer, public_id=candidate_public_id)
    if candidate.pk not in viewer.connections:
        raise NotConnected("You can refer only your connections.", field="candidate")
    if candidate.pk == opportunity.poster_id:
        raise OpportunityInvalid("They posted it.", field="candidate")
    if Viewer.for_user(candidate).blocked & {opportunity.poster_id}:
        raise CannotRefer(CANNOT_REFER, field="candidate")
    asked = ReferralRequest.objects.filter(
        opportunity=opportunity, requester=candidate, asked=user, status=ReferralRequestStatus.OPEN
    ).first()
    with transaction.atomic():
        try:
            with transaction.atomic():
                referral = Referral.objects.create(
                    opportunity=opportunity,
                    referrer=user,
                    candidate=candidate,
                    note=note,
                    status=S.SUBMITTED if asked else S.AWAITING_CANDIDATE,
                    candidate_agreed_at=timezone.now() if asked else None,
                )
        except IntegrityError:
            existing = (
                Referral.objects.filter(opportunity=opportunity, candidate=candidate)
                .exclude(status__in=ENDED_REFERRAL_STATES)
                .first()
            )
            if existing is not None and existing.referrer_id == user.pk:
                return existing
            raise CannotRefer(CANNOT_REFER, field="candidate") from None
        if asked:
            ReferralRequest.objects.filter(pk=asked.pk).update(
                status=ReferralRequestStatus.REFERRED
            )
    if asked:
        _tell_poster_submitted(referral)
    else:
        tell(
            recipient=candidate,
            opportunity=opportunity,
            kind=KIND_REFERRAL,
            text=f"{display_name(user)} would like to refer you to {opportunity.title}. "
            "Agree or decline.",
            actor=user,
            url=REFERRALS_URL,
        )
    return referral


def _tell_poster_submitted(referral: Referral) -> None:
    opportunity = referral.opportunity
    tell(
        recipient=opportunity.poster,
        opportunity=opportunity,
        kind=KIND_REFERRAL,
        text=f"{display_name(referral.referrer)} referred {display_name(referral.candidate)} "
        f"to {opportunity.title}",
        actor=referral.referrer,
    )


def referral_candidate_answer(*, user: User, public_id: str, agree: bool) -> Referral:
    """The candidate agrees (the poster then sees it) or declines (it is withdrawn)."""
    referral = referral_get(viewer=Viewer.for_user(user), public_id=public_id)
    if referral.candidate_id != user.pk:
        raise BadTransition("Only the candidate answers a referral.")
    if agree and referral.status == S.SUBMITTED:
        return referral
    new = S.SUBMITTED if agree else S.WITHDRAWN
    if agree and not opportunity_is_open(referral.opportunity):
        raise OpportunityClosed("This opportunity is closed.")
    moved = Referral.objects.filter(pk=referral.pk, status=S.AWAITING_CANDIDATE).update(
        status=new, candidate_agreed_at=timezone.now() if agree else None, updated_at=timezone.now()
    )
    referral.refresh_from_db()
    if not moved:
        if referral.status == new:
            return referral
        raise BadTransition("This referral was already answered.")
    if agree:
        _tell_poster_submitted(referral)
    tell(
        recipient=referral.referrer,
        opportunity=referral.opportunity,
        kind=KIND_REFERRAL,
        text=f"{display_name(user)} {'agreed to' if agree else 'declined'} your referral "
        f"to {referral.opportunity.title}",
        actor=user,
        url=REFERRALS_URL,
    )
    return referral


def referral_status_set(*, user: User, public_id: str, status: str) -> Referral:
    """The poster moves a submitted referral along; referrer and candidate are told."""
    if status not in S.values:
        raise OpportunityInvalid("Unknown status.", field="status")
    referral = referral_get(viewer=Viewer.for_user(user), public_id=public_id)
    if referral.opportunity.poster_id != user.pk:
        raise NotPoster("Only the poster moves a referral along.")
    if referral.status == status:
        return referral
    if status not in POSTER_MOVES.get(referral.status, ()):
        raise BadTransition(
            f"A referral that is {referral.get_status_display().lower()} can't become {status}."
        )
    moved = Referral.objects.filter(pk=referral.pk, status=referral.status).update(
        status=status, updated_at=timezone.now()
    )
    if not moved:
        raise BadTransition("It changed at the same time. Look again.")
    referral.refresh_from_db()
    label = referral.get_status_display().lower()
    for recipient in (referral.referrer, referral.candidate):
        tell(
            recipient=recipient,
            opportunity=referral.opportunity,
            kind=KIND_REFERRAL,
            text=f"Referral of {display_name(referral.candidate)} to "
            f"{referral.opportunity.title}: {label}",
            actor=user,
            url=REFERRALS_URL,
        )
    return referral


def referral_withdraw(*, user: User, public_id: str) -> Referral:
    """The referrer takes it back before the poster has moved it along."""
    referral = referral_get(viewer=Viewer.for_user(user), public_id=public_id)
    if referral.referrer_id != user.pk:
        raise BadTransition("Only the referrer withdraws a referral.")
    moved = Referral.objects.filter(
        pk=referral.pk, status__in=[S.AWAITING_CANDIDATE, S.SUBMITTED]
    ).update(status=S.WITHDRAWN, updated_at=timezone.now())
    referral.refresh_from_db()
    if not moved and referral.status != S.WITHDRAWN:
        raise BadTransition("The poster is already considering it.")
    return referral


def referral_request_create(
    *, user: User, opportunity_public_id: str, asked_public_id: str, message: str = ""
) -> ReferralRequest:
    """Ask a connection who works at the organization to refer you."""
    message = clean_text(message, field="message", max_length=NOTE_MAX_LENGTH)
    viewer, view = _open_view(user=user, public_id=opportunity_public_id)
    if view.is_poster:
        raise OpportunityInvalid("You posted it.", field="asked")
    asked = member_for(viewer=viewer, public_id=asked_public_id)
    if asked.pk not in {u.pk for u in connections_at_organization(viewer=viewer, view=view)}:
        raise NotConnected(
            "Ask a connection of yours who works at the organization.", field="asked"
        )
    with transaction.atomic():
        request, created = ReferralRequest.objects.get_or_create(
            opportunity=view.opportunity, requester=user, asked=asked, defaults={"message": message}
        )
    if created:
        tell(
            recipient=asked,
            opportunity=view.opportunity,
            kind=KIND_REFERRAL,
            text=f"{display_name(user)} asks you to refer them to {view.opportunity.title}",
            actor=user,
            url=REFERRALS_URL,
        )
    return request


def referral_request_decline(*, user: User, public_id: str) -> None:
    if not is_public_id(public_id):
        return
    ReferralRequest.objects.filter(
        public_id=public_id[:32], asked=user, status=ReferralRequestStatus.OPEN
    ).update(status=ReferralRequestStatus.DECLINED)


def interest_express(
    *, user: User, opportunity_public_id: str, note: str = ""
) -> InterestExpression:
    """Tell the poster directly that you are interested. Repeating it keeps the first."""
    note = clean_text(note, field="note", max_length=NOTE_MAX_LENGTH)
    _, view = _open_view(user=user, public_id=opportunity_public_id)
    if view.is_poster:
        raise OpportunityInvalid("You posted it.", field="note")
    with transaction.atomic():
        row, created = InterestExpression.objects.get_or_create(
            opportunity=view.opportunity, member=user, defaults={"note": note}
        )
    if created:
        tell(
            recipient=view.opportunity.poster,
            opportunity=view.opportunity,
            kind=KIND_REFERRAL,
            text=f"{display_name(user)} is interested in {view.opportunity.title}",
            actor=user,
        )
    return row
