"""The jurisdiction layer: who may see and who may act, decided in one place for every app.

- ``roles``: the four roles.
- ``scope``: a user's scope (a division-code prefix), scoped querysets and the prefix filters built from it.
- ``party``: the side of a two-sided record (a region and optionally a unit) and the one ``acts_for`` check.
- ``suppression``: the small-cell rule for counts shown outside the owning party.

It sits between ``regions`` and ``orgs`` and works on any user object with ``role``, ``region_id`` and
``organization_id``, so it imports no app above regions (held by import-linter).
"""
