from __future__ import annotations

from django_typer.management import TyperCommand

from commonground.interests.services import taxonomy_load


class Command(TyperCommand):
    help = "Add interests and aliases from the shipped taxonomy that are missing (idempotent)."

    def handle(self) -> None:
        interests, aliases = taxonomy_load()
        self.stdout.write(f"Added {interests} interests and {aliases} aliases.")
