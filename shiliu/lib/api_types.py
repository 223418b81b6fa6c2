"""Building blocks every API router shares: the error body, bounded ids and bounded paging.

Imported only from ``api`` modules (django-ninja needs configured settings before it is imported).
No "from __future__ import annotations": django-ninja reads these annotations at import time.
"""

import datetime as dt
import json
import re
from typing import Annotated, Any

from django.http import HttpRequest
from ninja import Field, Schema
from ninja.pagination import LimitOffsetPagination
from ninja.parser import Parser
from pydantic import BeforeValidator, StrictInt

# Primary keys are 64-bit (BigAutoField); a larger number can name no record, and SQLite cannot even compare it.
MAX_ID = 2**63 - 1
# Beyond this an offset names no page anyone reads; it also keeps LIMIT/OFFSET inside every database's range.
MAX_OFFSET = 1_000_000
MAX_LIMIT = 200

# An id in the path (text, converted); ``Ref`` is an id in a JSON body, where "5" or 5.0 is not an integer.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
Ref = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _iso(pattern: re.Pattern[str], kind: str) -> Any:
    def check(value: Any) -> Any:
        # pydantic would read 0 or "1700000000" as a Unix time; the API takes ISO 8601 text only.
        if isinstance(value, str) and not pattern.match(value):
            raise ValueError(f"expected an ISO 8601 {kind}")
        if isinstance(value, int | float):
            raise ValueError(f"expected an ISO 8601 {kind}")
        return value

    return BeforeValidator(check)


Date = Annotated[dt.date, _iso(_ISO_DATE, "date (YYYY-MM-DD)")]
DateTime = Annotated[dt.datetime, _iso(_ISO_DATETIME, "date and time (YYYY-MM-DDTHH:MM)")]


class ObjectParser(Parser):
    """Request bodies are JSON objects. django-ninja would read a list or a number as a schema with every field
    left at its default (a PATCH of ``[null]`` changing nothing and answering 200); refuse them as unparseable."""

    def parse_body(self, request: HttpRequest) -> dict[str, Any]:
        data = json.loads(request.body)
        if not isinstance(data, dict):
            raise ValueError("the body is not a JSON object")
        return data


class FieldError(Schema):
    loc: list[str | int] | None = None
    msg: str | None = None


class ErrorOut(Schema):
    """Every error the API answers with: a message, and for 422 the problems by field."""

    detail: str
    errors: list[FieldError] | dict[str, list[str]] | None = None


class Page(LimitOffsetPagination):
    """``limit``/``offset`` paging with both bounded, so a huge offset is a 422 rather than a database error."""

    def __init__(self, limit: int = 50, **kwargs: Any) -> None:
        super().__init__(max_limit=MAX_LIMIT, **kwargs)
        default = limit

        class Input(Schema):
            limit: int = Field(default, ge=1, le=MAX_LIMIT, description=f"at most {MAX_LIMIT}")
            offset: int = Field(0, ge=0, le=MAX_OFFSET, description=f"at most {MAX_OFFSET}")

        self.Input = Input  # type: ignore[misc,assignment]  # per endpoint: its own default page size
