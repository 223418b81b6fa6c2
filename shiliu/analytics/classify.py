"""A transparent rule that labels a unit "embedded" (互嵌式) and says which conditions passed or failed.

Reports count "互嵌式社区/村庄" without saying how a community qualified. Here the rule is data: a handful of
thresholds on the unit's ethnic composition, each evaluated and reported, so a verdict can be reproduced.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from .mixing import unit_diversity


@dataclass(frozen=True)
class EmbeddedRule:
    """Defaults are a starting point to be set by the commission, not a standard."""

    min_groups: int = 2  # at least this many groups …
    min_group_share: float = 0.05  # … each with at least this share of residents
    min_evenness: float | None = 0.3  # Pielou evenness of the whole composition (None: not checked)
    max_largest_share: float | None = 0.9  # the largest group at most this share (None: not checked)
    min_population: int = 1

    def __post_init__(self) -> None:
        if self.min_groups < 1:
            raise ValueError("min_groups must be at least 1")
        for name in ("min_group_share", "min_evenness", "max_largest_share"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= 1:
                raise ValueError(f"{name} must lie between 0 and 1")


@dataclass(frozen=True)
class Verdict:
    embedded: bool
    conditions: dict[str, bool]  # condition name → passed
    values: dict[str, float]  # the measured value behind each condition


def classify(counts: ArrayLike, rule: EmbeddedRule) -> list[Verdict]:
    """Apply ``rule`` to every unit (row) of a units × groups count matrix."""
    matrix = np.asarray(counts, dtype=np.float64)
    total = matrix.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        shares = np.where(total[:, None] > 0, matrix / np.where(total[:, None] > 0, total[:, None], 1), 0.0)
    diversity = unit_diversity(matrix)
    qualified_groups = (shares >= rule.min_group_share).sum(axis=1)
    verdicts = []
    for i in range(matrix.shape[0]):
        values = {
            "population": float(total[i]),
            "groups_at_min_share": float(qualified_groups[i]),
            "evenness": float(np.nan_to_num(diversity["evenness"][i], nan=0.0)),
            "largest_share": float(np.nan_to_num(diversity["largest_share"][i], nan=1.0)),
        }
        conditions = {
            "population": total[i] >= rule.min_population,
            "groups_at_min_share": qualified_groups[i] >= rule.min_groups,
        }
        if rule.min_evenness is not None:
            conditions["evenness"] = values["evenness"] >= rule.min_evenness
        if rule.max_largest_share is not None:
            conditions["largest_share"] = values["largest_share"] <= rule.max_largest_share
        conditions = {k: bool(v) for k, v in conditions.items()}
        verdicts.append(Verdict(all(conditions.values()), conditions, values))
    return verdicts
