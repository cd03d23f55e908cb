from __future__ import annotations

from typing import Annotated

import typer
from django.core.management import call_command
from django_typer.management import TyperCommand


class Command(TyperCommand):
    help = "Run background jobs (django-tasks database queue). Start several for more throughput."

    def handle(
        self,
        queue: Annotated[str, typer.Option(help="Queue name, or * for all.")] = "*",
        batch: Annotated[bool, typer.Option(help="Exit when the queue is empty.")] = False,
        interval: Annotated[float, typer.Option(help="Seconds between polls.", min=0.1)] = 1.0,
    ) -> None:
        call_command("db_worker", queue_name=queue, batch=batch, interval=interval)
