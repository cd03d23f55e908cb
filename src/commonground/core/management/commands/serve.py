from __future__ import annotations

import os
from typing import Annotated

import typer
from django.conf import settings
from django.core.management import call_command
from django_typer.management import TyperCommand


class Command(TyperCommand):
    help = "Apply migrations, then serve Common Ground with uvicorn (static files by WhiteNoise)."

    def handle(
        self,
        host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
        port: Annotated[
            int, typer.Option(help="Port; defaults to $PORT, else 8000.", min=0, max=65535)
        ] = int(os.environ.get("PORT", "8000") or 8000),
        workers: Annotated[int, typer.Option(help="uvicorn worker processes.", min=1, max=64)] = 1,
        migrate: Annotated[bool, typer.Option(help="Apply migrations first.")] = True,
    ) -> None:
        import uvicorn

        if migrate:
            call_command("migrate", interactive=False, verbosity=0)
        if "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]:
            call_command("collectstatic", interactive=False, verbosity=0)
        shown = "127.0.0.1" if host in {"0.0.0.0", "::"} else host  # noqa: S104
        self.stdout.write(f"Common Ground is running at http://{shown}:{port}/  (Ctrl+C to stop)")
        uvicorn.run(
            "commonground.asgi:application",
            host=host,
            port=port,
            workers=workers,
            log_level="info",
            proxy_headers=True,
        )
