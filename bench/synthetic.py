"""A synthetic China-sized population, fixed seed: units nested in townships, counties, prefectures, provinces.

Compositions are skewed like real ones: each province has its own mix of the 58 group codes (56 groups, 97, 98),
counties and villages vary around it, and most groups are absent from most villages.
"""

from __future__ import annotations

import numpy as np

LEVEL_SIZES = {"province": 31, "prefecture": 340, "county": 2900, "township": 40000}


def nested_population(
    units: int = 700_000, groups: int = 58, seed: int = 2026
) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    rng = np.random.default_rng(seed)
    # Each township belongs to one county, each county to one prefecture, each prefecture to one province.
    township = np.sort(rng.integers(0, LEVEL_SIZES["township"], size=units))
    county_of_township = np.sort(rng.integers(0, LEVEL_SIZES["county"], size=LEVEL_SIZES["township"]))
    prefecture_of_county = np.sort(rng.integers(0, LEVEL_SIZES["prefecture"], size=LEVEL_SIZES["county"]))
    province_of_prefecture = np.sort(rng.integers(0, LEVEL_SIZES["province"], size=LEVEL_SIZES["prefecture"]))
    county = county_of_township[township]
    prefecture = prefecture_of_county[county]
    province = province_of_prefecture[prefecture]

    national = np.r_[0.9, rng.dirichlet(np.full(groups - 1, 0.3)) * 0.1]  # one majority group, long tail
    province_mix = rng.dirichlet(national * 60, size=LEVEL_SIZES["province"])
    county_mix = np.vstack(
        [
            rng.dirichlet(province_mix[province_of_prefecture[prefecture_of_county[c]]] * 40 + 1e-3)
            for c in range(LEVEL_SIZES["county"])
        ]
    )
    size = rng.lognormal(mean=6.5, sigma=0.8, size=units)  # about 900 residents on average
    # Village shares: a Dirichlet around the county mix, sampled as normalised gammas (vectorised).
    shape = county_mix[county] * 8 + 1e-4
    raw = rng.gamma(shape)
    shares = raw / raw.sum(axis=1, keepdims=True)
    counts = rng.poisson(size[:, None] * shares).astype(np.int32)
    return counts, {"township": township, "county": county, "prefecture": prefecture, "province": province}
