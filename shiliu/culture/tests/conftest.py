"""Culture personas: 扬州 and 新源 commission staff (conftest.py at the root), their items, an outsider."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shiliu.culture import services
from shiliu.regions.models import EthnicGroup, Region


def png_bytes(size: tuple[int, int] = (64, 48), *, exif: bool = False) -> bytes:
    from PIL import Image

    image = Image.new("RGB", size, (180, 60, 40))
    out = io.BytesIO()
    if exif:
        info = Image.Exif()
        info[0x010E] = "secret description"  # ImageDescription
        info[0x8825] = {2: (30.0, 1.0, 2.0)}  # a GPS block
        image.save(out, "JPEG", exif=info.tobytes())
    else:
        image.save(out, "PNG")
    return out.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def make_item(db: Any) -> Any:
    def _make(actor: Any, title: str, region: str, **extra: Any) -> Any:
        data = {
            "kind": "heritage",
            "title": title,
            "category": "music",
            "level": "national",
            "region": Region.objects.get(code=region),
            "licence": "cc-by-nc-4.0",
            "credit": "新源县文化馆",
            "visibility": "public",
            "summary": "",
            **extra,
        }
        groups = data.pop("groups", None)
        return services.item_save(
            actor=actor, data=data, ethnic_groups=EthnicGroup.objects.filter(code__in=groups or [])
        )

    return _make
