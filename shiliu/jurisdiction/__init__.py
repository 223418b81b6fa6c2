"""The jurisdiction layer: who is inside the owning party of a record, and what of its figures others may see.

It sits between ``regions`` and ``orgs`` and imports no app above ``regions``, so every app can use it. For now it
holds small-cell suppression (:mod:`shiliu.jurisdiction.suppression`); the scope of a user and scoped querysets
(today in ``shiliu.accounts.scoping``) belong here too.
"""
