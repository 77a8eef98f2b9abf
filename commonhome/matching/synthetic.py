"""Synthetic buddy-programme pools for benchmarks and scale tests. Pure Python, no Django.

The shape follows what makes matching hard in practice: most newcomers share one of a few
common languages with many volunteers nearby, while about one in twenty speaks only a rare
language that one to three volunteers speak — people who lose out unless the solver gives
them priority. The area grows with the number of offerers, so a seeker has about the same
number of candidates (some fifty) at every size.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from .engine import Rules, Side

CENTRE = (48.2082, 16.3738)
FULL_OFFERERS = 8000
HALF_SIDE_KM = 21.0
"""Half the side of the square area at full size (8,000 offerers)."""
MAX_KM = 5.0
RARE_SHARE = 0.05
RARE_GROUP = 4
"""Seekers sharing one rare language; one to three offerers speak it."""

COMMON = ("ar", "uk", "fa", "ps", "ru", "so", "tr", "es")
COMMON_WEIGHTS = (20, 18, 14, 10, 10, 8, 10, 10)
SLOTS = tuple(
    f"{day}-{part}"
    for day in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for part in ("morn", "eve")  # the keys of constants.SLOTS
)
INTERESTS = (
    "chess",
    "football",
    "music",
    "cooking",
    "hiking",
    "crafts",
    "films",
    "gardening",
    "reading",
    "cycling",
    "dance",
    "photography",
    "games",
    "theatre",
    "volunteering",
)
ORIGINS = ("sy", "af", "ua", "so", "tr", "ir", "er", "ve")

RULES = Rules(
    hard=frozenset({"shared_language", "availability", "gender", "distance"}),
    weights={"language": 2, "origin": 3, "interests": 2, "distance": 1, "waiting": 1},
    max_km=MAX_KM,
    priority=frozenset({"few_options"}),
)


@dataclass(frozen=True)
class SyntheticInstance:
    seekers: tuple[Side, ...]
    offerers: tuple[Side, ...]
    rules: Rules
    few_candidates: frozenset[str]
    """Seekers who speak only a rare language: each has one to three candidates."""


def _place(rnd: random.Random, half_km: float) -> tuple[float, float]:
    lat0, lon0 = CENTRE
    dlat = half_km / 111.2
    dlon = dlat / math.cos(math.radians(lat0))
    return lat0 + rnd.uniform(-dlat, dlat), lon0 + rnd.uniform(-dlon, dlon)


def _near(rnd: random.Random, lat: float, lon: float, km: float) -> tuple[float, float]:
    dlat = km / 111.2
    dlon = dlat / math.cos(math.radians(lat))
    return lat + rnd.uniform(-dlat, dlat), lon + rnd.uniform(-dlon, dlon)


def _gender(rnd: random.Random) -> tuple[str, str]:
    gender = rnd.choice(("woman", "man", "woman", "man", ""))
    preference = gender if gender and rnd.random() < 0.1 else ""
    return gender, preference


def _common_languages(rnd: random.Random, extra: float) -> frozenset[str]:
    first = rnd.choices(COMMON, COMMON_WEIGHTS)[0]
    languages = {first}
    if rnd.random() < extra:
        languages.add(rnd.choice(COMMON))
    return frozenset(languages)


def synthetic_instance(seekers: int, offerers: int, seed: int = 0) -> SyntheticInstance:
    """A buddy programme with ``seekers`` newcomers and ``offerers`` volunteers.

    Offerers take one to three people; five per cent of seekers speak only a rare language
    (in groups of four, each group with one to three offerers who speak it, living nearby).
    The same seed gives the same instance.
    """
    rnd = random.Random(seed)
    half_km = HALF_SIDE_KM * math.sqrt(max(offerers, 1) / FULL_OFFERERS)

    offerer_list: list[Side] = []
    for i in range(offerers):
        lat, lon = _place(rnd, half_km)
        gender, preference = _gender(rnd)
        offerer_list.append(
            Side(
                id=f"o{i:05d}",
                capacity=rnd.choice((1, 1, 2, 2, 3)),
                languages=_common_languages(rnd, 0.35) | {"de"},
                gender=gender,
                gender_preference=preference,
                lat=lat,
                lon=lon,
                availability=frozenset(rnd.sample(SLOTS, rnd.randint(3, 6))),
                interests=frozenset(rnd.sample(INTERESTS, rnd.randint(1, 4))),
                origin=rnd.choice(ORIGINS) if rnd.random() < 0.3 else "",
            )
        )

    rare_count = min(round(seekers * RARE_SHARE), (offerers // 3) * RARE_GROUP)
    rare_ids: set[str] = set()
    seeker_list: list[Side] = []
    # Rare-language groups first: their offerers and seekers are placed together.
    groups = math.ceil(rare_count / RARE_GROUP)
    anchors = rnd.sample(range(offerers), groups * 3) if groups else []
    for g in range(groups):
        language = f"x{g:04d}"
        speakers = anchors[g * 3 : g * 3 + rnd.randint(1, 3)]
        base = offerer_list[speakers[0]]
        assert base.lat is not None and base.lon is not None
        for k in speakers:
            lat, lon = _near(rnd, base.lat, base.lon, 0.8)
            o = offerer_list[k]
            offerer_list[k] = Side(
                id=o.id,
                capacity=o.capacity,
                languages=o.languages | {language},
                gender=o.gender,
                lat=lat,
                lon=lon,
                availability=o.availability,
                interests=o.interests,
                origin=o.origin,
            )
        for _ in range(min(RARE_GROUP, rare_count - len(rare_ids))):
            lat, lon = _near(rnd, base.lat, base.lon, 1.5)
            seeker_id = f"s{len(seeker_list):05d}"
            rare_ids.add(seeker_id)
            seeker_list.append(
                Side(
                    id=seeker_id,
                    languages=frozenset({language}),
                    lat=lat,
                    lon=lon,
                    availability=frozenset(SLOTS),
                    interests=frozenset(rnd.sample(INTERESTS, 1)),
                    waiting_days=rnd.randint(0, 120),
                )
            )

    while len(seeker_list) < seekers:
        lat, lon = _place(rnd, half_km)
        gender, preference = _gender(rnd)
        seeker_list.append(
            Side(
                id=f"s{len(seeker_list):05d}",
                languages=_common_languages(rnd, 0.25),
                gender=gender,
                gender_preference=preference,
                lat=lat,
                lon=lon,
                availability=frozenset(rnd.sample(SLOTS, rnd.randint(3, 6))),
                interests=frozenset(rnd.sample(INTERESTS, rnd.randint(1, 4))),
                origin=rnd.choice(ORIGINS) if rnd.random() < 0.3 else "",
                waiting_days=rnd.randint(0, 120),
            )
        )
    return SyntheticInstance(
        seekers=tuple(seeker_list),
        offerers=tuple(offerer_list),
        rules=RULES,
        few_candidates=frozenset(rare_ids),
    )
