from __future__ import annotations

from typing import Annotated

import typer
from django.core.management.base import CommandError
from django_typer.management import TyperCommand
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from commonground.core.errors import ApplicationError
from commonground.suggestions.services import suggestions_compute_all


class Command(TyperCommand):
    help = "Recompute every member's suggestions with the matching engine."

    def handle(
        self,
        k: Annotated[int, typer.Option(help="Suggestions per member.", min=1, max=100)] = 20,
        scheduler: Annotated[
            str | None, typer.Option(help="Dask scheduler address (tcp://host:8786).")
        ] = None,
    ) -> None:
        columns = (
            TextColumn("[bold]Matching"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
        )
        with Progress(*columns) as progress:
            task = progress.add_task("match", total=None)
            try:
                summary = suggestions_compute_all(
                    k=k,
                    scheduler=scheduler,
                    progress=lambda n: progress.advance(task, n),
                    on_total=lambda total: progress.update(task, total=total),
                )
            except ApplicationError as error:
                raise CommandError(error.message) from None
            except OSError as error:
                raise CommandError(f"Could not reach the scheduler {scheduler}: {error}") from None
        self.stdout.write(
            f"{summary.members:,} members · {summary.with_suggestions:,} with suggestions · "
            f"{summary.suggestions:,} suggestions · read {summary.seconds_build:.1f} s · "
            f"matched {summary.seconds_match:.1f} s · exposure Gini {summary.exposure_gini:.2f}"
        )
