from __future__ import annotations

from django_typer.management import TyperCommand

from commonground.events.services import event_thank_you_reminders_create


class Command(TyperCommand):
    help = (
        "After events end, remind each checked-in attendee to thank the people they met at "
        "their speed-networking tables. Safe to run again (e.g. hourly from cron)."
    )

    def handle(self) -> None:
        count = event_thank_you_reminders_create()
        self.stdout.write(f"{count} thank-you reminder{'s' if count != 1 else ''} in place.")
