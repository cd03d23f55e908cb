from __future__ import annotations

import time
from typing import Annotated

import typer
from django.core.management.base import CommandError
from django_typer.management import TyperCommand

from commonground.accounts.models import User
from commonground.core.management.progress import progress_bar
from commonground.demo.generate import seed_members


class Command(TyperCommand):
    help = "Add N generated members (deterministic for a seed) to the community."

    def handle(
        self,
        members: Annotated[int, typer.Option(help="How many members to create.")] = 1000,
        seed: Annotated[int, typer.Option(help="Random seed: the same seed, the same people.")] = 0,
    ) -> None:
        if not 1 <= members <= 2_000_000:
            raise CommandError("--members must be between 1 and 2,000,000.")
        if seed < 0:
            raise CommandError("--seed must be zero or positive.")
        prefix = f"seed{seed}-"
        if User.objects.filter(email__startswith=prefix).exists():
            raise CommandError(f"Members for seed {seed} already exist; choose another --seed.")
        started = time.perf_counter()
        with progress_bar("Creating members", members) as advance:
            created = seed_members(count=members, seed=seed, email_prefix=prefix, progress=advance)
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Created {created:,} members in {elapsed:.1f} s ({created / elapsed:,.0f} per second)."
        )
