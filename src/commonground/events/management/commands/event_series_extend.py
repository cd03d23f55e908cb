from __future__ import annotations

from django_typer.management import TyperCommand

from commonground.events.services import event_series_extend


class Command(TyperCommand):
    help = (
        "Make the occurrences of every event series that fall within the next six months. "
        "Safe to run again (e.g. daily from cron): each occurrence is made once."
    )

    def handle(self) -> None:
        made = event_series_extend()
        self.stdout.write(f"Made {made} new occurrence{'s' if made != 1 else ''}.")
