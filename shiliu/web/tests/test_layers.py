"""The apps' layers hold for model relations too, not only for imports (which import-linter checks).

A foreign key names its target as a string ("pairings.Pairing"), which import-linter cannot see: a lower app
pointing at a higher one's model would tie them together as surely as an import.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings


def _layers() -> dict[str, int]:
    """App label → layer index (0 = top), read from the import-linter contract in pyproject.toml."""
    config = tomllib.loads((Path(settings.BASE_DIR) / "pyproject.toml").read_text())
    contract = next(
        c for c in config["tool"]["importlinter"]["contracts"] if c["name"] == "Apps depend downward only"
    )
    order: dict[str, int] = {}
    for index, layer in enumerate(contract["layers"]):
        for name in layer.strip("()").split("|"):
            order[name.strip()] = index
    return order


def _shiliu_app(model: type) -> str | None:
    module = model.__module__
    return module.split(".")[1] if module.startswith("shiliu.") else None


def test_it_finds_every_installed_shiliu_app_in_the_layers():
    layers = _layers()
    for config in apps.get_app_configs():
        if config.name.startswith("shiliu."):
            assert config.name.split(".")[1] in layers, f"{config.name} is missing from the layers contract"


def _upward_relations(layers: dict[str, int]) -> list[str]:
    upward = []
    for model in apps.get_models():
        source = _shiliu_app(model)
        if source is None:
            continue
        for field in model._meta.get_fields():
            if not field.is_relation or field.auto_created or field.related_model is None:
                continue
            target = _shiliu_app(field.related_model)
            if target is not None and layers[target] < layers[source]:
                upward.append(f"{model._meta.label}.{field.name} → {field.related_model._meta.label}")
    return upward


def test_it_lets_models_point_only_at_their_own_layer_or_below():
    assert _upward_relations(_layers()) == []


def test_it_would_notice_a_model_pointing_upward():
    # With the layers turned upside down, every real downward relation reads as upward: the check can fail.
    upside_down = {app: -index for app, index in _layers().items()}
    assert "exchanges.Activity.pairing → pairings.Pairing" in _upward_relations(upside_down)
