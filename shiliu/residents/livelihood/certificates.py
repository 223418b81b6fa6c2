"""Completion certificates: a PDF (WeasyPrint, Noto CJK for Chinese) carrying the verification code that the public
page checks."""

from __future__ import annotations

import segno
from django.template.loader import render_to_string
from django.urls import reverse

from .models import Enrolment


def verify_url(request_base: str, code: str) -> str:
    return f"{request_base}{reverse('livelihood:verify')}?code={code}"


def certificate_pdf(*, enrolment: Enrolment, base_url: str) -> bytes:
    from weasyprint import HTML  # imported here: it loads fonts and is needed only for this download

    url = verify_url(base_url, enrolment.certificate_code)
    qr = segno.make(url, error="m").svg_inline(scale=3, dark="#222")
    html = render_to_string(
        "livelihood/certificate_pdf.html",
        {"enrolment": enrolment, "klass": enrolment.training_class, "verify_url": url, "qr": qr},
    )
    return HTML(string=html, base_url=base_url).write_pdf()  # type: ignore[no-any-return]


def session_qr_svg(url: str) -> str:
    return segno.make(url, error="m").svg_inline(scale=6, dark="#000", title="QR")  # type: ignore[no-any-return]
