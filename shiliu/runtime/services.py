"""Forms sent once: a token per form that writes many records, claimed in the transaction of its writes."""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from shiliu.lib import clock

from .models import Submission

TOKEN_PATTERN = re.compile(r"^[0-9a-f]{32}$")


def submission_token() -> str:
    """A fresh token for a form that writes many records (rendered as a hidden field ``submission``)."""
    return uuid.uuid4().hex


class AlreadySubmitted(Exception):  # noqa: N818 - it names what happened, like Http404
    """The form was sent before: nothing was written this time."""

    def __init__(self, submission: Submission | None) -> None:
        self.submission = submission
        if submission is None or not submission.summary:
            message = _("This form was already sent. Nothing was done a second time.")
        else:
            message = _(
                "This form was already sent at %(time)s: %(summary)s Nothing was done a second time."
            ) % {
                "time": timezone.localtime(submission.created_at).strftime("%H:%M:%S"),
                "summary": submission.summary,
            }
        super().__init__(message)

    @property
    def link(self) -> str:
        return self.submission.link if self.submission else ""


def submission_claim(*, user: Any, token: str) -> Submission | None:
    """Claim the form's token before writing; raise :class:`AlreadySubmitted` when it was sent before.

    Call it inside the transaction of the writes: the claim commits with them or not at all. A second send racing the
    first waits on the token's unique index until the first commits (then it is refused) or rolls back (then it goes
    ahead). Without a well-formed token (an old page, an API client) there is no claim and nothing is refused.
    """
    if not TOKEN_PATTERN.match(token or ""):
        return None
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("submission_claim() belongs inside the transaction of the writes it guards")
    try:
        with transaction.atomic():
            return Submission.objects.create(token=token, user=user, created_at=clock.now())
    except IntegrityError:
        first = Submission.objects.filter(token=token, user=user).first()
        raise AlreadySubmitted(first) from None


def submission_record(claim: Submission | None, *, summary: str, link: str = "") -> None:
    """What the first send did, for the message a second send gets."""
    if claim is not None:
        claim.summary, claim.link = summary[:300], link[:300]
        claim.save(update_fields=["summary", "link"])
