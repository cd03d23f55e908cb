"""Open-to signals: what a member is quietly open to, and the one rule for who sees it.

- only_me: the member alone;
- connections: the member's connections;
- named: the members they named.
Blocked either way: never. Staff are members like any other here.
"""

from __future__ import annotations

from django.db.models import Q

from commonground.opportunities.models import OpenToSignal, SignalAudience
from commonground.profiles.selectors import Viewer


def q_open_to_signal_visible_to(viewer: Viewer) -> Q:
    if viewer.user_id is None:
        return Q(pk__in=[])
    named = OpenToSignal.audience_members.through.objects.filter(user_id=viewer.user_id).values(
        "opentosignal_id"
    )
    shared = Q(audience=SignalAudience.CONNECTIONS, user_id__in=sorted(viewer.connections)) | Q(
        audience=SignalAudience.NAMED, pk__in=named
    )
    if viewer.blocked:
        shared &= ~Q(user_id__in=sorted(viewer.blocked))
    return Q(user_id=viewer.user_id) | shared


def open_to_signal_visible(*, signal: OpenToSignal, viewer: Viewer) -> bool:
    return OpenToSignal.objects.filter(q_open_to_signal_visible_to(viewer), pk=signal.pk).exists()


def signal_kinds_visible_to(*, owner_ids: list[int], viewer: Viewer) -> dict[int, set[str]]:
    """The kinds of opportunity each of these members is open to, where the viewer may know."""
    if not owner_ids:
        return {}
    rows = OpenToSignal.objects.filter(q_open_to_signal_visible_to(viewer)).filter(
        user_id__in=sorted(owner_ids)
    )
    return {uid: set(kinds or []) for uid, kinds in rows.values_list("user_id", "kinds")}


def open_to_signal_get(*, viewer: Viewer) -> OpenToSignal | None:
    """The viewer's own signal, if they made one."""
    if viewer.user_id is None:
        return None
    return (
        OpenToSignal.objects.filter(user_id=viewer.user_id)
        .prefetch_related("audience_members__profile")
        .first()
    )
