"""Re-encrypt every encrypted field with the current key (the first of SHILIU_FIELD_KEYS).

Rotation: put a new key first in SHILIU_FIELD_KEYS (keep the old ones after it), restart, run this command, then
remove the old keys. ``--rehash`` also recomputes the keyed hashes, after SHILIU_FIELD_HASH_KEY was changed.
The fields come from the apps' registrations (shiliu.lib.crypto.register_field), so this command knows no app.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from shiliu.lib.crypto import decrypt, encrypt, needs_rotation, registered_fields

BATCH = 500


class Command(BaseCommand):
    help = (
        "Re-encrypt all encrypted fields with the current key (and, with --rehash, recompute keyed hashes)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--rehash", action="store_true", help="recompute the keyed hashes too")

    def handle(self, *args: Any, rehash: bool = False, **options: Any) -> None:
        for field in registered_fields():
            model = apps.get_model(field.model)
            done = 0
            last_pk = 0
            while True:
                with transaction.atomic():
                    rows = list(
                        model.objects.select_for_update()
                        .filter(pk__gt=last_pk)
                        .exclude(**{field.column: ""})
                        .order_by("pk")[:BATCH]
                    )
                    if not rows:
                        break
                    changed = []
                    for row in rows:
                        token = getattr(row, field.column)
                        if not (needs_rotation(token) or (rehash and field.hash_column)):
                            continue
                        plain = decrypt(token, context=field.context)
                        setattr(row, field.column, encrypt(plain, context=field.context))
                        if field.hash_column:
                            setattr(row, field.hash_column, field.hash_of(plain))
                        changed.append(row)
                    columns = [field.column, *([field.hash_column] if field.hash_column else [])]
                    model.objects.bulk_update(changed, columns)
                    done += len(changed)
                    last_pk = rows[-1].pk
            self.stdout.write(f"{field.model}.{field.column}: {done} re-encrypted")
