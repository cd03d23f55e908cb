from __future__ import annotations

from django_typer.management import TyperCommand

from commonground.opportunities.services import opportunity_close_expired


class Command(TyperCommand):
    help = "Close every open opportunity past its closing date (idempotent; run it daily)."

    def handle(self) -> None:
        closed = opportunity_close_expired()
        self.stdout.write(f"Closed {closed} expired opportunit{'y' if closed == 1 else 'ies'}.")
