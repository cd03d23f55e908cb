"""A member's quiet open-to signal."""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from commonground.accounts.models import User
from commonground.core.validation import clean_text
from commonground.opportunities.errors import OpportunityInvalid
from commonground.opportunities.models import (
    SIGNAL_NOTE_MAX_LENGTH,
    OpenToSignal,
    OpportunityKind,
    SignalAudience,
)
from commonground.opportunities.services.opportunities import named_members


def open_to_signal_set(
    *,
    user: User,
    kinds: Sequence[str],
    note: str = "",
    audience: str = SignalAudience.ONLY_ME,
    audience_members: Sequence[str] = (),
) -> OpenToSignal:
    """Say quietly what you are open to, and who may know. One signal per member."""
    unique = list(dict.fromkeys(kinds))
    if any(kind not in OpportunityKind.values for kind in unique):
        raise OpportunityInvalid(
            "Choose job, freelance, collaboration or volunteer.", field="kinds"
        )
    if audience not in SignalAudience.values:
        raise OpportunityInvalid("Choose who may know.", field="audience")
    note = clean_text(note, field="note", max_length=SIGNAL_NOTE_MAX_LENGTH)
    members = (
        named_members(user=user, public_ids=audience_members, field="audience_members")
        if audience == SignalAudience.NAMED
        else []
    )
    with transaction.atomic():
        signal, _ = OpenToSignal.objects.update_or_create(
            user=user, defaults={"kinds": unique, "note": note, "audience": audience}
        )
        signal.audience_members.set(members)
    return signal


def open_to_signal_clear(*, user: User) -> None:
    OpenToSignal.objects.filter(user=user).delete()
