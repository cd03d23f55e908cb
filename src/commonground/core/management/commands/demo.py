from __future__ import annotations

import time
from typing import Annotated

import typer
from django.core.management import call_command
from django_typer.management import TyperCommand

from commonground.accounts.models import User
from commonground.core.management.progress import progress_bar
from commonground.demo.generate import (
    DEMO_PASSWORD,
    create_demo_logins,
    seed_app_content,
    seed_members,
)

DEMO_PREFIX = "demo-"


class Command(TyperCommand):
    help = "Create the demo community (idempotent): 1,000+ members and the demo logins."

    def handle(
        self,
        members: Annotated[
            int, typer.Option(help="Generated members besides the demo logins.")
        ] = 1200,
        migrate: Annotated[bool, typer.Option(help="Apply migrations first.")] = True,
    ) -> None:
        if migrate:
            call_command("migrate", interactive=False, verbosity=0)
        if User.objects.filter(email__startswith=DEMO_PREFIX).exists():
            self.stdout.write("The demo community already exists.")
        else:
            started = time.perf_counter()
            with progress_bar("Seeding the demo community", members) as advance:
                seed_members(count=members, seed=2026, email_prefix=DEMO_PREFIX, progress=advance)
            self.stdout.write(
                f"Seeded {members:,} members in {time.perf_counter() - started:.1f} s."
            )
        logins = create_demo_logins()
        seed_app_content(seed=2026)
        call_command("match")
        self.stdout.write(f"\nDemo logins (password for all: {DEMO_PASSWORD}):")
        for person in logins:
            self.stdout.write(f"  {person.email:<22} {person.name}, {person.profession}")
        self.stdout.write("  admin@demo.example     operator, also for /admin/")
