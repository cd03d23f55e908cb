from __future__ import annotations

from typing import Annotated

import typer
from django.core.management.base import CommandError
from django_typer.management import TyperCommand
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from commonground.groups.niches import DEFAULT_MIN_MEMBERS, niche_mine


class Command(TyperCommand):
    help = (
        "Mine unmet niches: combinations of 2-3 interests that enough members of a region, a "
        "country or the whole community share and no group covers. Replaces the stored ones."
    )

    def handle(
        self,
        min_members: Annotated[
            int, typer.Option(help="Members a combination needs in a place to count.")
        ] = DEFAULT_MIN_MEMBERS,
        max_size: Annotated[int, typer.Option(help="Largest combination: 2 or 3.")] = 3,
    ) -> None:
        if not 2 <= min_members <= 1_000_000:
            raise CommandError("--min-members must be between 2 and 1,000,000.")
        if max_size not in (2, 3):
            raise CommandError("--max-size must be 2 or 3.")
        columns = (
            TextColumn("[bold]Mining places"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns) as progress:
            task = progress.add_task("mine", total=None)
            summary = niche_mine(
                min_members=min_members,
                max_size=max_size,
                progress=lambda n: progress.advance(task, n),
                on_total=lambda total: progress.update(task, total=total),
            )
        self.stdout.write(
            f"{summary.members:,} members · {summary.places:,} places · "
            f"{summary.niches:,} unmet niches stored · {summary.seconds:.1f} s"
        )
