"""The matching engine: candidate pairs, scores and an optimal assignment. No Django.

Plain data in, plain data out, so the same code serves every programme (buddies, language
exchange, placements, hosting) and can be tested and benchmarked on its own.

Three steps, each a public function:

1. :func:`candidates` turns the programme's hard constraints into pairs. Offerers are put in
   bitmap indexes (one Python integer per key: bit *i* set when offerer *i* has the key), so
   the offerers a seeker may meet are the AND of a few ORs of bitmaps, never a walk over every
   seeker × offerer pair. Only the constraints an index cannot answer (age bands, required
   skills and the exact distance) are checked pair by pair, and only on what the indexes let
   through.
2. Each pair gets an integer score kept as named parts, so a person can be told why.
3. :func:`solve` picks the assignment with a lexicographic objective — seekers in a priority
   group matched, then people matched, then total score — as one min-cost flow: the three
   levels are folded into one integer weight per pair, large enough apart that no amount of a
   lower level can buy one unit of a higher one. Without that, plain score-maximisation
   leaves almost everyone with a rare language unmatched.
"""

from __future__ import annotations

import bisect
import math
import operator
import time
from array import array
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import overload

import numpy as np
from ortools.graph.python import max_flow, min_cost_flow

from commonhome.core.geo import EARTH_RADIUS_KM, distance_km

HARD = (
    "shared_language",
    "language_exchange",
    "target_group",
    "gender",
    "age_band",
    "distance",
    "availability",
    "skills",
    "conditions",
)
"""Hard constraints, in the order :func:`why_unmatched` applies them."""

SOFT = ("language", "origin", "interests", "distance", "waiting")
"""Soft score parts, in the order they appear in :attr:`Pair.parts`."""

PRIORITY = ("long_waiting", "few_options")

WHY_NOT = ("no_offerers", *HARD, "no_capacity", "excluded")
"""Every answer :func:`why_unmatched` can give besides ``None``."""

DISTANCE_STEPS_KM = (1.0, 2.0, 5.0, 10.0, 20.0, 50.0)
"""The distance part counts the steps a pair is closer than: under 1 km scores 6, 50 km or
more (or an unknown place) scores 0. Buckets keep the score an integer and stop a few hundred
metres from outweighing a shared interest."""

WAITING_UNIT_DAYS = 7
WAITING_CAP_DAYS = 182
"""The waiting part counts whole weeks waited, up to half a year, so it can lift people who
have waited long without drowning every other part."""

INT64_MAX = 2**63 - 1

Excluded = Iterable[tuple[str, str]]


@dataclass(frozen=True)
class Side:
    """One person or offer, on either side of a programme.

    Seekers are newcomers (buddy seekers, learners, job seekers, people needing a room);
    offerers are volunteers, language partners, placements and hosts. An empty field means
    "not said" and never counts as a match on its own.
    """

    id: str
    capacity: int = 1
    """Offerers: how many more people they can take (the caller subtracts accepted ones)."""
    languages: frozenset[str] = frozenset()
    learning: frozenset[str] = frozenset()
    gender: str = ""
    gender_preference: str = ""
    """"" accepts anyone; otherwise only partners who gave this gender."""
    age: int | None = None
    age_band: tuple[int, int] | None = None
    """Partner ages accepted, inclusive; a partner who gave no age is not accepted."""
    groups: frozenset[str] = frozenset()
    """Seekers: target groups they belong to. Offerers: groups served, empty = everyone."""
    lat: float | None = None
    lon: float | None = None
    availability: frozenset[str] = frozenset()
    skills: frozenset[str] = frozenset()
    """Seekers: skills they have. Offerers: skills they require."""
    needs: frozenset[str] = frozenset()
    """Seekers: conditions they need, with the same keys as offerers' ``offers``."""
    offers: frozenset[str] = frozenset()
    interests: frozenset[str] = frozenset()
    origin: str = ""
    """Only filled when the person opted in to share it."""
    waiting_days: int = 0


@dataclass(frozen=True)
class Rules:
    """What a programme declares: hard constraints, weighted soft parts, priority policy."""

    hard: frozenset[str]
    weights: Mapping[str, int] = field(default_factory=dict)
    max_km: float | None = None
    priority: frozenset[str] = frozenset()
    long_wait_days: int = 60
    few_options_max: int = 3

    def __post_init__(self) -> None:
        unknown = set(self.hard) - set(HARD)
        if unknown:
            raise ValueError(f"hard: unknown constraints {sorted(unknown)}; expected {HARD}")
        unknown = set(self.weights) - set(SOFT)
        if unknown:
            raise ValueError(f"weights: unknown score parts {sorted(unknown)}; expected {SOFT}")
        for name, weight in self.weights.items():
            if not isinstance(weight, int) or weight < 0:
                raise ValueError(f"weights: {name} must be a non-negative integer, not {weight!r}")
        unknown = set(self.priority) - set(PRIORITY)
        if unknown:
            raise ValueError(f"priority: unknown groups {sorted(unknown)}; expected {PRIORITY}")
        if "distance" in self.hard and (self.max_km is None or self.max_km < 0):
            raise ValueError("max_km: the distance constraint needs a maximum distance ≥ 0")


@dataclass(frozen=True, slots=True)
class Pair:
    """A seeker and an offerer who meet every hard constraint, with the why of their score."""

    seeker: str
    offerer: str
    score: int
    parts: tuple[tuple[str, int], ...]
    """Weighted soft parts in :data:`SOFT` order, one per weight the programme declares."""
    reasons: tuple[str, ...]
    """Hard constraints met, with what met them, e.g. ``"shared_language:fa"``."""


@dataclass(frozen=True)
class Solution:
    matches: tuple[Pair, ...]
    """Sorted by (seeker, offerer)."""
    priority: frozenset[str]
    objective: tuple[int, int, int]
    method: str
    """"flow", or "greedy" when asked for or when the solver did not prove an optimum."""
    seconds: float = field(default=0.0, compare=False)
    """Time spent choosing the pairs, without building their explanations afterwards."""


# --- hard constraints, one pair at a time -------------------------------------------------
# These are the definitions. The indexes in `_Index` answer the same questions for many
# offerers at once; `why_unmatched` and forced pairs use these directly.


def _in_band(age: int | None, band: tuple[int, int] | None) -> bool:
    return band is None or (age is not None and band[0] <= age <= band[1])


def _km(seeker: Side, offerer: Side) -> float | None:
    if seeker.lat is None or seeker.lon is None or offerer.lat is None or offerer.lon is None:
        return None
    return distance_km(seeker.lat, seeker.lon, offerer.lat, offerer.lon)


def _meets(name: str, seeker: Side, offerer: Side, rules: Rules) -> bool:
    if name == "shared_language":
        return not seeker.languages.isdisjoint(offerer.languages)
    if name == "language_exchange":
        return not seeker.learning.isdisjoint(offerer.languages) and not (
            offerer.learning.isdisjoint(seeker.languages)
        )
    if name == "target_group":
        return not offerer.groups or not offerer.groups.isdisjoint(seeker.groups)
    if name == "gender":
        return (not seeker.gender_preference or seeker.gender_preference == offerer.gender) and (
            not offerer.gender_preference or offerer.gender_preference == seeker.gender
        )
    if name == "age_band":
        return _in_band(offerer.age, seeker.age_band) and _in_band(seeker.age, offerer.age_band)
    if name == "distance":
        km = _km(seeker, offerer)
        return km is not None and rules.max_km is not None and km <= rules.max_km
    if name == "availability":
        return not seeker.availability.isdisjoint(offerer.availability)
    if name == "skills":
        return offerer.skills <= seeker.skills
    if name == "conditions":
        return seeker.needs <= offerer.offers
    raise ValueError(f"unknown hard constraint {name!r}")


def make_pair(seeker: Side, offerer: Side, rules: Rules, *, forced: bool = False) -> Pair:
    """The scored pair of these two, whether or not they meet the hard constraints.

    Used for pairs a coordinator forces: then its reasons list only the constraints that
    hold, followed by ``"forced"``.
    """
    km = _km(seeker, offerer)
    pair = _Builder(rules).pair(seeker, offerer, km)
    if not forced:
        return pair
    met = Rules(
        hard=frozenset(c for c in rules.hard if _meets(c, seeker, offerer, rules)),
        max_km=rules.max_km,
    )
    reasons = (*_Builder(met).reasons(seeker, offerer, km), "forced")
    return Pair(pair.seeker, pair.offerer, pair.score, pair.parts, reasons)


# --- candidates through indexes -------------------------------------------------------------


def _bits(mask: int) -> list[int]:
    """Positions of the set bits of ``mask``, ascending."""
    if mask == 0:
        return []
    raw = np.frombuffer(mask.to_bytes((mask.bit_length() + 7) // 8, "little"), dtype=np.uint8)
    positions: list[int] = np.flatnonzero(np.unpackbits(raw, bitorder="little")).tolist()
    return positions


def _union(index: Mapping[str, int], keys: Iterable[str]) -> int:
    mask = 0
    for key in keys:
        mask |= index.get(key, 0)
    return mask


def _bitmaps(offerers: Sequence[Side], keys: Callable[[Side], Iterable[str]]) -> dict[str, int]:
    index: dict[str, int] = {}
    for i, offerer in enumerate(offerers):
        bit = 1 << i
        for key in keys(offerer):
            index[key] = index.get(key, 0) | bit
    return index


class _Grid:
    """Offerers in square cells of ``max_km`` of latitude: a coarse prefilter for distance.

    A seeker looks only at the cells its own bounding box touches; the exact great-circle
    distance is then checked for the offerers found there.
    """

    def __init__(self, offerers: Sequence[Side], max_km: float) -> None:
        self.max_km = max_km
        self.step = max(math.degrees(max_km / EARTH_RADIUS_KM), 1e-6)
        self.cells: dict[tuple[int, int], int] = {}
        for i, o in enumerate(offerers):
            if o.lat is not None and o.lon is not None:
                key = (math.floor(o.lat / self.step), math.floor(o.lon / self.step))
                self.cells[key] = self.cells.get(key, 0) | (1 << i)

    def near(self, lat: float | None, lon: float | None) -> int:
        if lat is None or lon is None or not self.cells:
            return 0
        # Exact box of a spherical cap (the usual cos-latitude formula is slightly too small
        # away from the equator), plus a margin for rounding.
        angle = self.max_km / EARTH_RADIUS_KM
        margin = 1e-9
        dlat = math.degrees(angle) + margin
        cos_lat = math.cos(math.radians(lat))
        if angle >= math.pi / 2 or math.sin(angle) >= cos_lat:
            lon_ranges = [(-180.0, 180.0)]  # the cap holds a pole: every longitude
            lat_lo, lat_hi = lat - dlat, lat + dlat
            if lat > 0:
                lat_hi = 90.0
            else:
                lat_lo = -90.0
        else:
            dlon = math.degrees(math.asin(math.sin(angle) / cos_lat)) + margin
            lo, hi = lon - dlon, lon + dlon
            lat_lo, lat_hi = lat - dlat, lat + dlat
            if lo < -180:
                lon_ranges = [(lo + 360, 180.0), (-180.0, hi)]
            elif hi > 180:
                lon_ranges = [(lo, 180.0), (-180.0, hi - 360)]
            else:
                lon_ranges = [(lo, hi)]
        rows = (math.floor(lat_lo / self.step), math.floor(lat_hi / self.step))
        cols = [(math.floor(a / self.step), math.floor(b / self.step)) for a, b in lon_ranges]
        wanted = (rows[1] - rows[0] + 1) * sum(b - a + 1 for a, b in cols)
        mask = 0
        if wanted > len(self.cells):
            for (r, c), bits in self.cells.items():
                if rows[0] <= r <= rows[1] and any(a <= c <= b for a, b in cols):
                    mask |= bits
        else:
            for r in range(rows[0], rows[1] + 1):
                for a, b in cols:
                    for c in range(a, b + 1):
                        mask |= self.cells.get((r, c), 0)
        return mask


class _Index:
    """Bitmap indexes of the offerers for every hard constraint an index can answer."""

    def __init__(self, offerers: Sequence[Side], rules: Rules) -> None:
        self.offerers = offerers
        self.rules = rules
        self.all = (1 << len(offerers)) - 1
        hard = rules.hard
        if "shared_language" in hard or "language_exchange" in hard:
            self.speaks = _bitmaps(offerers, lambda o: o.languages)
        if "language_exchange" in hard:
            self.learns = _bitmaps(offerers, lambda o: o.learning)
        if "target_group" in hard:
            self.serves = _bitmaps(offerers, lambda o: o.groups or ("",))
        if "gender" in hard:
            self.gender = _bitmaps(offerers, lambda o: (o.gender,))
            self.wants = _bitmaps(offerers, lambda o: (o.gender_preference,))
        if "availability" in hard:
            self.slots = _bitmaps(offerers, lambda o: o.availability)
        if "conditions" in hard:
            self.conditions = _bitmaps(offerers, lambda o: o.offers)
        if "distance" in hard:
            assert rules.max_km is not None  # Rules checks it
            self.grid = _Grid(offerers, rules.max_km)
        # Checked pair by pair on what the indexes let through.
        self.pairwise = tuple(c for c in ("age_band", "skills") if c in hard)
        self.builder = _Builder(rules)
        if "distance" in hard or "distance" in rules.weights:
            nan = float("nan")
            self.lat = np.radians([nan if o.lat is None else o.lat for o in offerers])
            self.lon = np.radians([nan if o.lon is None else o.lon for o in offerers])

    def distances(self, s: Side, found: list[int]) -> tuple[list[int], list[float | None]]:
        """Great-circle distances from the seeker to the offerers ``found``, all at once.

        With distance as a hard constraint, only those within ``max_km`` are kept; a pair
        within a hair of the limit is decided by :func:`distance_km` itself, so the answer
        never depends on how numpy rounds.
        """
        limit = self.rules.max_km if "distance" in self.rules.hard else None
        if s.lat is None or s.lon is None:
            return ([], []) if limit is not None else (found, [None] * len(found))
        at = np.asarray(found, dtype=np.int64)
        p1, l1 = math.radians(s.lat), math.radians(s.lon)
        p2, l2 = self.lat[at], self.lon[at]
        a = np.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
        if limit is not None:
            keep = np.flatnonzero(km <= limit + 1e-6)
            at, km = at[keep], km[keep]
        kept: list[int] = at.tolist()
        values: list[float | None] = [None if v != v else v for v in km.tolist()]
        if limit is not None:
            offerers = self.offerers
            exact: list[int] = []
            closest: list[float | None] = []
            for i, v in zip(kept, values, strict=True):
                if v is not None and v > limit - 1e-6:
                    o = offerers[i]
                    v = distance_km(s.lat, s.lon, o.lat, o.lon)  # type: ignore[arg-type]
                    if v > limit:
                        continue
                exact.append(i)
                closest.append(v)
            return exact, closest
        return kept, values

    def mask(self, s: Side) -> int:
        """Offerers that every indexed hard constraint allows for this seeker.

        With no indexable constraint on, that is every offerer: all pairs are candidates by
        the programme's own definition.
        """
        hard = self.rules.hard
        mask = self.all
        if "shared_language" in hard:
            mask &= _union(self.speaks, s.languages)
        if mask and "language_exchange" in hard:
            mask &= _union(self.speaks, s.learning) & _union(self.learns, s.languages)
        if mask and "target_group" in hard:
            mask &= self.serves.get("", 0) | _union(self.serves, s.groups)
        if mask and "gender" in hard:
            if s.gender_preference:
                mask &= self.gender.get(s.gender_preference, 0)
            wants = self.wants.get("", 0)
            if s.gender:
                wants |= self.wants.get(s.gender, 0)
            mask &= wants
        if mask and "availability" in hard:
            mask &= _union(self.slots, s.availability)
        if mask and "conditions" in hard:
            for need in s.needs:
                mask &= self.conditions.get(need, 0)
        if mask and "distance" in hard:
            mask &= self.grid.near(s.lat, s.lon)
        return mask


class _Builder:
    """Scores and explains the pairs of one run, the same way as :func:`make_pair` does, with
    what does not depend on the pair worked out once: it runs a million times at full size."""

    def __init__(self, rules: Rules) -> None:
        self.rules = rules
        self.hard = rules.hard
        self.names = tuple(n for n in SOFT if n in rules.weights)
        self.weight = {n: rules.weights[n] for n in self.names}
        self.required = 1 if "shared_language" in rules.hard else 0
        self.exchange = "language_exchange" in rules.hard
        self.explain: dict[tuple[str, frozenset[str]], tuple[str, ...]] = {}
        self.parts: dict[tuple[int, ...], tuple[tuple[str, int], ...]] = {}
        self.km_text: dict[int, tuple[str]] = {}

    def listed(self, prefix: str, keys: frozenset[str]) -> tuple[str, ...]:
        """``prefix`` + each key, sorted; cached, as the same few sets come back all the time."""
        found = self.explain.get((prefix, keys))
        if found is None:
            found = self.explain[(prefix, keys)] = tuple(prefix + k for k in sorted(keys))
        return found

    def reasons(self, s: Side, o: Side, km: float | None) -> tuple[str, ...]:
        hard = self.hard
        out: tuple[str, ...] = ()
        if "shared_language" in hard:
            out += self.listed("shared_language:", s.languages & o.languages)
        if "language_exchange" in hard:
            out += self.listed("language_exchange:learns=", s.learning & o.languages)
            out += self.listed("language_exchange:teaches=", o.learning & s.languages)
        if "target_group" in hard:
            if o.groups:
                out += self.listed("target_group:", o.groups & s.groups)
            else:
                out += ("target_group:everyone",)
        if "gender" in hard:
            out += ("gender",)
        if "age_band" in hard:
            out += ("age_band",)
        if "distance" in hard and km is not None:
            tenths = int(km * 10 + 0.5)
            text = self.km_text.get(tenths)
            if text is None:
                text = self.km_text[tenths] = (f"distance:{tenths / 10:.1f}km",)
            out += text
        if "availability" in hard:
            out += self.listed("availability:", s.availability & o.availability)
        if "skills" in hard:
            out += self.listed("skills:", o.skills) or ("skills",)
        if "conditions" in hard:
            out += self.listed("conditions:", s.needs) or ("conditions",)
        return out

    def values(self, s: Side, o: Side, km: float | None) -> list[int]:
        """The weighted soft parts, in the order of ``names``."""
        # Straight-line on purpose: the loop over named parts cost more than the parts.
        w = self.weight
        values: list[int] = []
        if "language" in w:
            raw = len(s.languages & o.languages) - self.required
            if raw < 0:
                raw = 0
            if self.exchange:
                fit = len(s.learning & o.languages) + len(o.learning & s.languages)
                raw += max(0, fit - 2)
            values.append(raw * w["language"])
        if "origin" in w:
            values.append(w["origin"] if s.origin and s.origin == o.origin else 0)
        if "interests" in w:
            values.append(len(s.interests & o.interests) * w["interests"])
        if "distance" in w:
            steps = 0 if km is None else bisect.bisect_left(_STEPS_DESC, -km)
            values.append(steps * w["distance"])
        if "waiting" in w:
            waited = min(max(s.waiting_days, 0), WAITING_CAP_DAYS) // WAITING_UNIT_DAYS
            values.append(waited * w["waiting"])
        return values

    def pair(self, s: Side, o: Side, km: float | None) -> Pair:
        key = tuple(self.values(s, o, km))
        parts = self.parts.get(key)
        if parts is None:
            # Shared between pairs: a million pairs have only a few hundred distinct scores.
            parts = self.parts[key] = tuple(zip(self.names, key, strict=True))
        return Pair(s.id, o.id, sum(key), parts, self.reasons(s, o, km))


_STEPS_DESC = sorted(-step for step in DISTANCE_STEPS_KM)
"""Negated steps, ascending, so ``bisect`` counts the steps a distance is under."""


def _by_id(sides: Iterable[Side], what: str) -> list[Side]:
    ordered = sorted(sides, key=lambda side: side.id)
    for a, b in zip(ordered, ordered[1:], strict=False):
        if a.id == b.id:
            raise ValueError(f"{what}: id {a.id!r} appears twice")
    return ordered


class Candidates(Sequence[Pair]):
    """The candidate pairs of a run, sorted by (seeker, offerer), kept as arrays.

    A million :class:`Pair` objects, each with its reasons, would cost more to build and to
    read back than solving does; the solver needs only who, whom and the score. So the pairs
    are stored as three arrays, and a :class:`Pair` is built when one is asked for — for the
    few thousand matched, or when a test walks them all.
    """

    def __init__(
        self,
        seekers: Sequence[Side],
        offerers: Sequence[Side],
        builder: _Builder,
        seeker: np.ndarray,
        offerer: np.ndarray,
        score: np.ndarray,
        km: np.ndarray,
    ) -> None:
        self.seekers = seekers
        self.offerers = offerers
        self.builder = builder
        self.seeker = seeker
        """Position in ``seekers`` of each pair's seeker."""
        self.offerer = offerer
        """Position in ``offerers`` of each pair's offerer."""
        self.score = score
        self.km = km
        """Distance of each pair in km, NaN when unknown or not needed."""

    def __len__(self) -> int:
        return len(self.seeker)

    @overload
    def __getitem__(self, at: int) -> Pair: ...

    @overload
    def __getitem__(self, at: slice) -> list[Pair]: ...

    def __getitem__(self, at: int | slice) -> Pair | list[Pair]:
        if isinstance(at, slice):
            return [self[i] for i in range(*at.indices(len(self)))]
        km = float(self.km[at])
        return self.builder.pair(
            self.seekers[int(self.seeker[at])],
            self.offerers[int(self.offerer[at])],
            None if math.isnan(km) else km,
        )

    def per_seeker(self) -> dict[str, int]:
        """How many candidates each seeker has; seekers without any are left out."""
        counts = np.bincount(self.seeker, minlength=len(self.seekers))
        ids = self.seekers
        return {ids[i].id: int(counts[i]) for i in np.flatnonzero(counts).tolist()}


def candidates(
    seekers: Iterable[Side],
    offerers: Iterable[Side],
    rules: Rules,
    *,
    excluded: Excluded = frozenset(),
) -> Candidates:
    """Every pair meeting all hard constraints, sorted by (seeker, offerer).

    ``excluded`` pairs (declined, ended, forbidden by a coordinator) are never proposed.
    Offerers without remaining capacity are left out. Candidates come from bitmap indexes
    (see the module docstring); when the programme has no indexable hard constraint every
    pair is a candidate by definition, and the list is as long as seekers × offerers.
    """
    seeker_list = _by_id(seekers, "seekers")
    offerer_list = [o for o in _by_id(offerers, "offerers") if o.capacity > 0]
    index = _Index(offerer_list, rules)
    position = {o.id: i for i, o in enumerate(offerer_list)}
    barred: dict[str, int] = {}
    for seeker_id, offerer_id in excluded:
        if offerer_id in position:
            barred[seeker_id] = barred.get(seeker_id, 0) | (1 << position[offerer_id])
    return _collect(seeker_list, offerer_list, index, barred)


def _collect(
    seeker_list: Sequence[Side],
    offerer_list: Sequence[Side],
    index: _Index,
    barred: Mapping[str, int],
) -> Candidates:
    rules = index.rules
    values = index.builder.values
    pairwise = index.pairwise
    need_km = "distance" in rules.hard or "distance" in rules.weights
    seeker_at: array[int] = array("q")
    offerer_at: array[int] = array("q")
    scores: array[int] = array("q")
    kms: array[float] = array("d")
    nan = float("nan")
    for at, s in enumerate(seeker_list):
        mask = index.mask(s) & ~barred.get(s.id, 0)
        if not mask:
            continue
        found = _bits(mask)
        distances: list[float | None]
        if need_km:
            found, distances = index.distances(s, found)
        else:
            distances = [None] * len(found)
        kept: list[int] = []
        for i, km in zip(found, distances, strict=True):
            o = offerer_list[i]
            if pairwise and not all(_meets(name, s, o, rules) for name in pairwise):
                continue
            score = sum(values(s, o, km))
            if not -INT64_MAX <= score <= INT64_MAX:
                raise OverflowError(
                    f"matching scores do not fit in 64-bit integers (score {score} for "
                    f"{s.id!r} and {o.id!r}); lower the score weights"
                )
            kept.append(i)
            scores.append(score)
            kms.append(nan if km is None else km)
        seeker_at.extend([at] * len(kept))
        offerer_at.extend(kept)
    return Candidates(
        seeker_list,
        offerer_list,
        index.builder,
        np.frombuffer(seeker_at, dtype=np.int64).copy(),
        np.frombuffer(offerer_at, dtype=np.int64).copy(),
        np.frombuffer(scores, dtype=np.int64).copy(),
        np.frombuffer(kms, dtype=np.float64).copy(),
    )


def why_unmatched(
    seeker: Side,
    offerers: Iterable[Side],
    rules: Rules,
    *,
    excluded: Excluded = frozenset(),
) -> str | None:
    """None if the seeker has a candidate, else why not.

    The hard constraints are applied one after the other in :data:`HARD` order, to every
    offerer, full or not, and the answer is the first after which no offerer remains — so a
    coordinator learns which rule to look at first. Otherwise: ``"no_offerers"`` (nobody
    signed up), ``"no_capacity"`` (some offerers would fit, but they are all full: find more
    like them) or ``"excluded"`` (only declined, ended or forbidden pairs were left).
    """
    left = list(offerers)
    if not left:
        return "no_offerers"
    for name in HARD:
        if name in rules.hard:
            left = [o for o in left if _meets(name, seeker, o, rules)]
            if not left:
                return name
    left = [o for o in left if o.capacity > 0]
    if not left:
        return "no_capacity"
    barred = {offerer for s, offerer in excluded if s == seeker.id}
    if all(o.id in barred for o in left):
        return "excluded"
    return None


def priority_seekers(
    seekers: Iterable[Side], pairs: Iterable[Pair], rules: Rules
) -> frozenset[str]:
    """Ids of seekers in a priority group the programme declares.

    ``long_waiting``: waited at least ``long_wait_days``. ``few_options``: between one and
    ``few_options_max`` candidates — people who lose out under plain score-maximisation
    because nearly every offerer they could meet is also wanted by someone else.
    """
    chosen: set[str] = set()
    seekers = list(seekers)
    if "long_waiting" in rules.priority:
        chosen |= {s.id for s in seekers if s.waiting_days >= rules.long_wait_days}
    if "few_options" in rules.priority:
        counts: dict[str, int] = {}
        for pair in pairs:
            counts[pair.seeker] = counts.get(pair.seeker, 0) + 1
        chosen |= {s.id for s in seekers if 1 <= counts.get(s.id, 0) <= rules.few_options_max}
    return frozenset(chosen)


def objective(matches: Iterable[Pair], priority: frozenset[str]) -> tuple[int, int, int]:
    """(priority seekers matched, number matched, total score), compared lexicographically."""
    matches = list(matches)
    return (
        sum(1 for p in matches if p.seeker in priority),
        len(matches),
        sum(p.score for p in matches),
    )


# --- solving -----------------------------------------------------------------------------


def solve(
    seekers: Sequence[Side],
    offerers: Sequence[Side],
    pairs: Sequence[Pair],
    rules: Rules,
    *,
    forced: Iterable[tuple[str, str]] = (),
    method: str = "flow",
) -> Solution:
    """The assignment that matches the most priority seekers, then the most people, then the
    highest total score; each seeker at most once, each offerer at most ``capacity`` times.

    ``pairs`` are as :func:`candidates` returns them (no pair twice). ``forced`` pairs (a
    coordinator's decision) are placed first whatever the constraints say: they use capacity
    and take their seeker out of the rest. ``method="flow"`` solves exactly with min-cost flow;
    ``"greedy"`` takes pairs by priority, then score, then ids — and is used as well if the
    flow solver cannot prove an optimum. The same input gives the same output.
    """
    if method not in ("flow", "greedy"):
        raise ValueError(f"method: expected 'flow' or 'greedy', not {method!r}")
    started = time.perf_counter()
    seeker_list = _by_id(seekers, "seekers")
    offerer_list = _by_id(offerers, "offerers")
    seeker_at = {s.id: i for i, s in enumerate(seeker_list)}
    offerer_at = {o.id: i for i, o in enumerate(offerer_list)}
    s_idx, o_idx, scores = _indexed(pairs, seeker_at, offerer_at)
    # Ids are sorted, so positions order pairs as ids do: ties are broken the same every time.
    keys = s_idx * max(len(offerer_list), 1) + o_idx
    if bool((keys[1:] > keys[:-1]).all()):  # as candidates() gives them
        order = np.arange(len(keys))
    else:
        order = np.argsort(keys, kind="stable")
        ordered = keys[order]
        if bool((ordered[1:] == ordered[:-1]).any()):
            raise ValueError("pairs: a pair appears twice")

    counts = np.bincount(s_idx, minlength=len(seeker_list))
    priority = _priority(seeker_list, counts, rules)
    capacity = np.array([max(o.capacity, 0) for o in offerer_list], dtype=np.int64)

    placed = _place_forced(forced, seeker_at, offerer_at, keys, order, capacity)
    fixed = [
        pairs[row] if row >= 0 else make_pair(seeker_list[s], offerer_list[o], rules, forced=True)
        for s, o, row in placed
    ]
    keep = capacity[o_idx] > 0
    if placed:
        taken = np.zeros(len(seeker_list), dtype=bool)
        taken[[s for s, _, _ in placed]] = True
        keep &= ~taken[s_idx]
    rest = np.flatnonzero(keep)
    is_priority = np.zeros(len(seeker_list), dtype=bool)
    is_priority[[seeker_at[sid] for sid in priority]] = True
    problem = _Problem(rest, s_idx[rest], o_idx[rest], scores[rest], capacity, is_priority)

    chosen: list[int] | None = None
    if method == "flow":
        chosen = _flow(problem)
    if chosen is None:
        method = "greedy"
        chosen = _greedy(problem)
    seconds = time.perf_counter() - started
    matches = tuple(sorted([*fixed, *(pairs[i] for i in chosen)], key=_KEY))
    return Solution(matches, priority, objective(matches, priority), method, seconds)


_SEEKER: Callable[[Pair], str] = operator.attrgetter("seeker")
_OFFERER: Callable[[Pair], str] = operator.attrgetter("offerer")
_SCORE: Callable[[Pair], int] = operator.attrgetter("score")
_KEY: Callable[[Pair], tuple[str, str]] = operator.attrgetter("seeker", "offerer")


def _positions(ids: Iterable[str], at: Mapping[str, int], what: str) -> np.ndarray:
    """Where each id sits in ``at``, as an array; an unknown id is an error in ``pairs``."""
    try:
        return np.fromiter(map(at.__getitem__, ids), dtype=np.int64)
    except KeyError as missing:
        raise ValueError(f"pairs: {what} {missing.args[0]!r} is not among the {what}s") from None


def _indexed(
    pairs: Sequence[Pair], seeker_at: Mapping[str, int], offerer_at: Mapping[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Seeker position, offerer position and score of every pair, as arrays.

    :class:`Candidates` has them already, against its own lists of people, and only those
    lists are translated; any other sequence of pairs is read one pair at a time.
    """
    if isinstance(pairs, Candidates):
        seekers = _positions((s.id for s in pairs.seekers), seeker_at, "seeker")
        offerers = _positions((o.id for o in pairs.offerers), offerer_at, "offerer")
        return seekers[pairs.seeker], offerers[pairs.offerer], pairs.score
    return (
        _positions(map(_SEEKER, pairs), seeker_at, "seeker"),
        _positions(map(_OFFERER, pairs), offerer_at, "offerer"),
        np.fromiter(map(_SCORE, pairs), dtype=np.int64, count=len(pairs)),
    )


def _priority(seekers: Sequence[Side], counts: np.ndarray, rules: Rules) -> frozenset[str]:
    """:func:`priority_seekers`, with candidate counts (by position in ``seekers``) at hand."""
    chosen: set[str] = set()
    if "long_waiting" in rules.priority:
        chosen |= {s.id for s in seekers if s.waiting_days >= rules.long_wait_days}
    if "few_options" in rules.priority:
        few = np.flatnonzero((counts >= 1) & (counts <= rules.few_options_max))
        chosen |= {seekers[i].id for i in few.tolist()}
    return frozenset(chosen)


def _place_forced(
    forced: Iterable[tuple[str, str]],
    seeker_at: Mapping[str, int],
    offerer_at: Mapping[str, int],
    keys: np.ndarray,
    order: np.ndarray,
    capacity: np.ndarray,
) -> list[tuple[int, int, int]]:
    """The forced pairs, checked, as (seeker, offerer, row in ``pairs`` or -1 when the pair
    is not a candidate); the capacity they use is taken off ``capacity``."""
    placed: list[tuple[int, int, int]] = []
    seen: set[int] = set()
    ordered = keys[order]
    for seeker_id, offerer_id in forced:
        if seeker_id not in seeker_at:
            raise ValueError(f"forced: seeker {seeker_id!r} is not among the seekers")
        if offerer_id not in offerer_at:
            raise ValueError(f"forced: offerer {offerer_id!r} is not among the offerers")
        s, o = seeker_at[seeker_id], offerer_at[offerer_id]
        if s in seen:
            raise ValueError(f"forced: seeker {seeker_id!r} is forced into two pairs")
        if capacity[o] <= 0:
            raise ValueError(f"forced: offerer {offerer_id!r} has no capacity left")
        capacity[o] -= 1
        seen.add(s)
        key = s * max(len(capacity), 1) + o
        at = int(np.searchsorted(ordered, key))
        row = int(order[at]) if at < len(ordered) and ordered[at] == key else -1
        placed.append((s, o, row))
    return placed


@dataclass
class _Problem:
    """The pairs still open after forced ones, as arrays: what both solvers work on."""

    rows: np.ndarray  # positions in ``pairs``
    seeker: np.ndarray  # seeker index of each row
    offerer: np.ndarray  # offerer index of each row
    score: np.ndarray  # score of each row
    capacity: np.ndarray  # by offerer index
    is_priority: np.ndarray  # by seeker index


def _greedy(problem: _Problem) -> list[int]:
    """Pairs by priority, then score, ties broken by ids. Fast, not optimal: an early high
    score can take the only offerer someone else could have had."""
    # Positions follow sorted ids, so ordering by position breaks ties by id.
    order = np.lexsort(
        (problem.offerer, problem.seeker, -problem.score, ~problem.is_priority[problem.seeker])
    )
    left: list[int] = problem.capacity.tolist()
    matched = [False] * len(problem.is_priority)
    out: list[int] = []
    for s, o, r in zip(
        problem.seeker[order].tolist(),
        problem.offerer[order].tolist(),
        problem.rows[order].tolist(),
        strict=True,
    ):
        if not matched[s] and left[o] > 0:
            matched[s] = True
            left[o] -= 1
            out.append(r)
    return out


def _max_matched(problem: _Problem, seekers: np.ndarray) -> int:
    """How many of ``seekers`` (a boolean mask) can be matched at once: one max flow."""
    use = seekers[problem.seeker]
    n_s, n_o = len(problem.is_priority), len(problem.capacity)
    flow = max_flow.SimpleMaxFlow()
    flow.add_arcs_with_capacity(
        np.zeros(n_s, dtype=np.int32),
        np.arange(2, 2 + n_s, dtype=np.int32),
        seekers.astype(np.int64),
    )
    flow.add_arcs_with_capacity(
        (2 + problem.seeker[use]).astype(np.int32),
        (2 + n_s + problem.offerer[use]).astype(np.int32),
        np.ones(int(use.sum()), dtype=np.int64),
    )
    flow.add_arcs_with_capacity(
        np.arange(2 + n_s, 2 + n_s + n_o, dtype=np.int32),
        np.ones(n_o, dtype=np.int32),
        problem.capacity,
    )
    if flow.solve(0, 1) != flow.OPTIMAL:
        raise RuntimeError("max flow did not finish")
    return int(flow.optimal_flow())


def _flow(problem: _Problem) -> list[int] | None:
    """Exact solution by flows, or None if the solver reports no optimum.

    The lexicographic objective needs no giant weights. Seekers who can be matched together
    form a matroid (a transversal one), so some largest matching also matches the most
    priority seekers that can be matched at all. Two max flows give those two numbers —
    ``p`` priority seekers, ``m`` people — and one min-cost flow then finds, among matchings
    of exactly ``m`` people at least ``p`` of them priority, the one with the highest score:

    source (supply m − p) → hub (capacity |priority| − p) and → each other seeker (1);
    hub (supply p) → each priority seeker (1); seeker → offerer (1, cost top − score);
    offerer → sink (its capacity; demand m).

    The hub's own supply is the lower bound: p units must pass through priority seekers.
    Costs are only scores, so the solver's cost scaling stays short; as every feasible flow
    matches exactly m people, ``top − score`` (never negative, which the solver handles
    faster) orders them as ``−score`` would.
    """
    n_s, n_o = len(problem.is_priority), len(problem.capacity)
    if len(problem.rows) == 0:
        return []
    has_pair = np.zeros(n_s, dtype=bool)
    has_pair[problem.seeker] = True
    most = _max_matched(problem, has_pair)
    prio = _max_matched(problem, has_pair & problem.is_priority)
    top = int(problem.score.max())
    n_nodes = 3 + n_s + n_o
    if top > INT64_MAX // (n_nodes + 1):
        raise OverflowError(
            "matching scores do not fit in 64-bit integers "
            f"(largest score {top} for {n_nodes} nodes); lower the score weights"
        )
    source, sink, hub = 0, 1, 2
    seeker_nodes = np.arange(3, 3 + n_s, dtype=np.int32)
    offerer_nodes = np.arange(3 + n_s, 3 + n_s + n_o, dtype=np.int32)
    smcf = min_cost_flow.SimpleMinCostFlow()
    pair_arcs = smcf.add_arcs_with_capacity_and_unit_cost(
        seeker_nodes[problem.seeker],
        offerer_nodes[problem.offerer],
        np.ones(len(problem.rows), dtype=np.int64),
        top - problem.score,
    )
    favoured = has_pair & problem.is_priority
    tails = np.where(favoured, hub, source).astype(np.int32)
    smcf.add_arcs_with_capacity_and_unit_cost(
        tails[has_pair],
        seeker_nodes[has_pair],
        np.ones(int(has_pair.sum()), dtype=np.int64),
        np.zeros(int(has_pair.sum()), dtype=np.int64),
    )
    smcf.add_arc_with_capacity_and_unit_cost(source, hub, int(favoured.sum()) - prio, 0)
    smcf.add_arcs_with_capacity_and_unit_cost(
        offerer_nodes,
        np.full(n_o, sink, dtype=np.int32),
        problem.capacity,
        np.zeros(n_o, dtype=np.int64),
    )
    smcf.set_node_supply(source, most - prio)
    smcf.set_node_supply(hub, prio)
    smcf.set_node_supply(sink, -most)
    if smcf.solve() != smcf.OPTIMAL:
        return None
    used = np.flatnonzero(smcf.flows(pair_arcs) > 0)
    rows: list[int] = problem.rows[used].tolist()
    return rows
