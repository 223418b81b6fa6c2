"""Helpers that import no Shiliu app: the clock, file downloads, upload checks and form helpers.

Everything above may use them; they use only Django and the standard library (held by import-linter).
"""
