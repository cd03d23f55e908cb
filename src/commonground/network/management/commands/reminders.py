from __future__ import annotations

from django_typer.management import TyperCommand
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from commonground.network.services import followup_reminders_send, introduction_expire_overdue
from commonground.network.services.followups import followup_reminders_due_count


class Command(TyperCommand):
    help = (
        "Send keep-in-touch and thank-you reminders that are due, and expire introductions "
        "older than 14 days (idempotent: safe to run twice, or again after an interruption). "
        "Schedule it with cron or a systemd timer, e.g. hourly."
    )

    def handle(self) -> None:
        expired = introduction_expire_overdue()
        columns = (
            TextColumn("[bold]Reminders"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns, transient=True) as progress:
            task = progress.add_task("reminders", total=followup_reminders_due_count())
            sweep = followup_reminders_send(progress=lambda n: progress.advance(task, n))
        self.stdout.write(
            f"{sweep.keep_in_touch} keep-in-touch reminder{'s' if sweep.keep_in_touch != 1 else ''}"
            f" · {sweep.thank_yous} thank-you reminder{'s' if sweep.thank_yous != 1 else ''}"
            f" · {expired} introduction{'s' if expired != 1 else ''} expired"
        )
