"""Daily and weekly digests: one email per member, merged by thread, identical lines once.

Safe to run twice, concurrently, or to kill and run again. Each member's pending
notifications are first claimed by a Digest row with one conditional UPDATE (only rows no
digest holds yet), then the email goes out, then the digest is marked sent. A run that died
between claim and send leaves an unsent digest; the next run sends it once its lease expired.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from commonground.accounts.models import User
from commonground.notifications.emails import DigestLine, DigestSection, digest_email
from commonground.notifications.errors import PreferenceInvalid
from commonground.notifications.models import Delivery, Digest, EmailFrequency, Notification
from commonground.notifications.preferences import area_of, choices_for
from commonground.notifications.selectors import q_for

logger = logging.getLogger(__name__)

PERIODS = ("daily", "weekly")
# How long a run owns a claimed digest before another run may send it instead.
LEASE = timedelta(minutes=10)
# A digest stays readable: past this many lines it links to the full list instead.
MAX_LINES = 40


@dataclass
class DigestSummary:
    period: str
    emails: int = 0
    notifications: int = 0
    lines: int = 0
    skipped: int = 0
    failed: int = 0
    recipients: list[int] = field(default_factory=list)


def _claim(*, recipient_id: int, period: str, until: datetime) -> Digest | None:
    with transaction.atomic():
        digest = Digest.objects.create(
            recipient_id=recipient_id, period=period, attempted_at=timezone.now()
        )
        claimed = Notification.objects.filter(
            recipient_id=recipient_id,
            delivery=period,
            digest__isnull=True,
            emailed_at__isnull=True,
            created_at__lte=until,
        ).update(digest=digest)
        if not claimed:
            transaction.set_rollback(True)
            return None
    return digest


def _take_over(*, digest_id: int) -> bool:
    """Renew the lease of an unsent digest whose run died; False if another run has it."""
    now = timezone.now()
    return bool(
        Digest.objects.filter(
            pk=digest_id, sent_at__isnull=True, attempted_at__lt=now - LEASE
        ).update(attempted_at=now)
    )


def merge_lines(rows: list[Notification]) -> list[DigestLine]:
    """Newest first. One line per thread (the latest text, with how many in all); elsewhere
    identical texts to the same place make one line."""
    groups: dict[tuple[str, ...], list[Notification]] = {}
    for row in sorted(rows, key=lambda r: (r.created_at, r.pk), reverse=True):
        key: tuple[str, ...] = (
            ("thread", row.thread_key) if row.thread_key else ("text", row.kind, row.text, row.url)
        )
        groups.setdefault(key, []).append(row)
    lines = []
    for group_key, group in groups.items():
        latest = group[0]
        count = len(group) if group_key[0] == "thread" else 1
        lines.append(DigestLine(kind=latest.kind, text=latest.text, url=latest.url, count=count))
    return lines


def _sections(lines: list[DigestLine]) -> list[DigestSection]:
    by_area: dict[str, list[DigestLine]] = {}
    for line in lines:
        by_area.setdefault(area_of(line.kind), []).append(line)
    return [DigestSection(area=area, lines=found) for area, found in by_area.items()]


def _send(*, digest: Digest, summary: DigestSummary) -> None:
    recipient = User.objects.filter(pk=digest.recipient_id).first()
    claimed = list(Notification.objects.filter(digest=digest))
    wanted = list(
        Notification.objects.filter(q_for(user_id=digest.recipient_id), digest=digest)
        .filter(read_at__isnull=True)
        .order_by("-created_at", "-pk")
    )
    if recipient is not None and recipient.is_active and wanted:
        choices = choices_for(user_id=recipient.pk, kinds=sorted({r.kind for r in wanted}))
        # Unsubscribing after a notification was written still keeps it out of the email.
        wanted = [r for r in wanted if choices.email_for(r.kind) != EmailFrequency.OFF]
    else:
        wanted = []
    summary.skipped += len(claimed) - len(wanted)
    if wanted and recipient is not None:
        lines = merge_lines(wanted)
        digest_email(
            user=recipient,
            period=digest.period,
            sections=_sections(lines[:MAX_LINES]),
            total=len(wanted),
            more=max(0, len(lines) - MAX_LINES),
        ).send()
        summary.emails += 1
        summary.notifications += len(wanted)
        summary.lines += len(lines)
        summary.recipients.append(recipient.pk)
    sent = timezone.now()
    with transaction.atomic():
        Notification.objects.filter(pk__in=[r.pk for r in wanted]).update(emailed_at=sent)
        Digest.objects.filter(pk=digest.pk).update(sent_at=sent)


def _send_or_log(*, digest: Digest, summary: DigestSummary) -> None:
    try:
        _send(digest=digest, summary=summary)
    except Exception:
        # The mail server refused: the digest stays claimed and unsent, and the next run
        # sends it once the lease expired. Other members' digests still go out.
        summary.failed += 1
        logger.warning(
            "Digest %s could not be sent; the next run retries.", digest.pk, exc_info=True
        )


def notification_digest_send(*, period: str, now: datetime | None = None) -> DigestSummary:
    """Send the `period` digest ("daily" or "weekly") to everyone who has one due."""
    if period not in PERIODS:
        raise PreferenceInvalid("The period must be daily or weekly.", field="period")
    until = now or timezone.now()
    summary = DigestSummary(period=period)
    stale = Digest.objects.filter(
        period=period, sent_at__isnull=True, attempted_at__lt=timezone.now() - LEASE
    ).values_list("pk", flat=True)
    for digest_id in list(stale):
        if _take_over(digest_id=digest_id):
            _send_or_log(digest=Digest.objects.get(pk=digest_id), summary=summary)
    recipients = (
        Notification.objects.filter(
            delivery=period,
            digest__isnull=True,
            emailed_at__isnull=True,
            created_at__lte=until,
        )
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )
    for recipient_id in list(recipients):
        digest = _claim(recipient_id=recipient_id, period=period, until=until)
        if digest is not None:
            _send_or_log(digest=digest, summary=summary)
    return summary


assert set(PERIODS) == {Delivery.DAILY.value, Delivery.WEEKLY.value}
