from __future__ import annotations

from typing import Annotated

import typer
from django.core.management.base import CommandError
from django_typer.management import TyperCommand

from commonground.accounts.models import User
from commonground.core.errors import ApplicationError
from commonground.events.people import speed_plan_for
from commonground.events.selectors import event_get
from commonground.events.services import speed_networking_generate
from commonground.profiles.selectors import Viewer


class Command(TyperCommand):
    help = "Plan (or plan again) speed-networking rounds for an event's checked-in attendees."

    def handle(
        self,
        event: Annotated[str, typer.Argument(help="The event's public id (from its URL).")],
        organizer: Annotated[str, typer.Option(help="Email of one of its organizers.")],
        rounds: Annotated[int, typer.Option(help="How many rounds.")] = 4,
        seed: Annotated[
            int | None, typer.Option(help="Random seed (default: the next one).")
        ] = None,
    ) -> None:
        user = User.objects.filter(email=organizer.strip().lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"No active member with the email {organizer}.")
        try:
            speed_networking_generate(user=user, public_id=event, rounds=rounds, seed=seed)
            viewer = Viewer.for_user(user)
            plan = speed_plan_for(viewer=viewer, view=event_get(viewer=viewer, public_id=event))
        except ApplicationError as error:
            raise CommandError(error.message) from None
        assert plan is not None
        self.stdout.write(
            f"{plan.people} people, {len(plan.rounds)} rounds, shared-interest weight "
            f"{plan.total_weight:.1f} (seed {plan.seed})."
        )
        for number, tables in enumerate(plan.rounds, start=1):
            self.stdout.write(f"Round {number}:")
            for table in tables:
                names = " · ".join(seat.display_name for seat in table.seats)
                self.stdout.write(f"  Table {table.number}: {names}")
