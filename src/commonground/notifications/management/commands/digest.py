from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer
from django_typer.management import TyperCommand

from commonground.notifications.services import notification_digest_send


class Period(StrEnum):
    daily = "daily"
    weekly = "weekly"


class Command(TyperCommand):
    help = (
        "Send the daily or weekly notification digests that are due (idempotent: safe to run "
        "twice, or again after an interruption). Schedule it with cron or a systemd timer."
    )

    def handle(
        self,
        period: Annotated[Period, typer.Option(help="Which digest to send: daily or weekly.")],
    ) -> None:
        summary = notification_digest_send(period=period.value)
        self.stdout.write(
            f"{summary.period.capitalize()} digest: {summary.emails} email"
            f"{'s' if summary.emails != 1 else ''} sent, {summary.notifications} notification"
            f"{'s' if summary.notifications != 1 else ''} in {summary.lines} line"
            f"{'s' if summary.lines != 1 else ''}, {summary.skipped} left out (read, "
            f"unsubscribed or blocked since), {summary.failed} failed (retried next run)."
        )
