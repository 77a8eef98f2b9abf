"""An independent oracle for the matching engine, for small instances only.

It shares the engine's data types and nothing of its method: hard constraints are checked for
every seeker × offerer pair, written out again from the definitions; the optimum comes from
networkx's maximum-weight matching on a graph where each offerer is copied ``capacity`` times,
or, for tiny instances, from trying every assignment and comparing objective tuples directly.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx

from commonhome.core.geo import distance_km
from commonhome.matching.engine import Pair, Rules, Side


def hard_ok(seeker: Side, offerer: Side, rules: Rules) -> bool:
    """Whether the two meet every hard constraint of ``rules``, checked the slow, plain way."""
    h = rules.hard
    if "shared_language" in h and not (set(seeker.languages) & set(offerer.languages)):
        return False
    if "language_exchange" in h:
        if not (set(seeker.learning) & set(offerer.languages)):
            return False
        if not (set(offerer.learning) & set(seeker.languages)):
            return False
    if "target_group" in h and offerer.groups and not (set(offerer.groups) & set(seeker.groups)):
        return False
    if "gender" in h:
        if seeker.gender_preference not in ("", offerer.gender):
            return False
        if offerer.gender_preference not in ("", seeker.gender):
            return False
    if "age_band" in h:
        for band, age in ((seeker.age_band, offerer.age), (offerer.age_band, seeker.age)):
            if band is not None and (age is None or not band[0] <= age <= band[1]):
                return False
    if "distance" in h:
        coords = (seeker.lat, seeker.lon, offerer.lat, offerer.lon)
        if any(c is None for c in coords):
            return False
        assert rules.max_km is not None
        km = distance_km(seeker.lat, seeker.lon, offerer.lat, offerer.lon)  # type: ignore[arg-type]
        if km > rules.max_km:
            return False
    if "availability" in h and not (set(seeker.availability) & set(offerer.availability)):
        return False
    if "skills" in h and any(skill not in seeker.skills for skill in offerer.skills):
        return False
    return not ("conditions" in h and any(n not in offerer.offers for n in seeker.needs))


def candidate_keys(
    seekers: Iterable[Side],
    offerers: Iterable[Side],
    rules: Rules,
    excluded: Iterable[tuple[str, str]] = (),
) -> set[tuple[str, str]]:
    """Every (seeker, offerer) pair allowed, by looking at all of them."""
    barred = set(excluded)
    offerer_list = list(offerers)
    return {
        (s.id, o.id)
        for s in seekers
        for o in offerer_list
        if o.capacity > 0 and (s.id, o.id) not in barred and hard_ok(s, o, rules)
    }


def priority(seekers: Iterable[Side], keys: Iterable[tuple[str, str]], rules: Rules) -> set[str]:
    counts: dict[str, int] = {}
    for seeker_id, _ in keys:
        counts[seeker_id] = counts.get(seeker_id, 0) + 1
    out: set[str] = set()
    for s in seekers:
        if "long_waiting" in rules.priority and s.waiting_days >= rules.long_wait_days:
            out.add(s.id)
        if "few_options" in rules.priority and 1 <= counts.get(s.id, 0) <= rules.few_options_max:
            out.add(s.id)
    return out


def value(matches: Iterable[Pair], prio: Iterable[str]) -> tuple[int, int, int]:
    matches = list(matches)
    prio = set(prio)
    return (
        sum(1 for m in matches if m.seeker in prio),
        len(matches),
        sum(m.score for m in matches),
    )


def optimum_networkx(
    offerers: Sequence[Side], pairs: Sequence[Pair], prio: Iterable[str]
) -> tuple[tuple[int, int, int], list[Pair]]:
    """The lexicographic optimum as a maximum-weight matching with offerer copies.

    Weight = big_a·[priority] + big_b + score, with big_b above the sum of all scores and
    big_a above (seekers)·big_b, so the levels never trade against each other.
    """
    prio = set(prio)
    capacity = {o.id: o.capacity for o in offerers}
    big_b = sum(p.score for p in pairs) + 1
    big_a = (len({p.seeker for p in pairs}) + 1) * big_b
    graph = nx.Graph()
    by_key: dict[tuple[str, str], Pair] = {}
    for p in pairs:
        by_key[(p.seeker, p.offerer)] = p
        weight = big_a * (p.seeker in prio) + big_b + p.score
        for copy in range(max(capacity[p.offerer], 0)):
            graph.add_edge(("s", p.seeker), ("o", p.offerer, copy), weight=weight)
    chosen: list[Pair] = []
    for u, v in nx.max_weight_matching(graph):
        seeker_node, offerer_node = (u, v) if u[0] == "s" else (v, u)
        chosen.append(by_key[(seeker_node[1], offerer_node[1])])
    return value(chosen, prio), chosen


def optimum_brute_force(
    offerers: Sequence[Side], pairs: Sequence[Pair], prio: Iterable[str]
) -> tuple[int, int, int]:
    """The best objective tuple over every assignment; tiny instances only."""
    prio = set(prio)
    options: dict[str, list[Pair]] = {}
    for p in pairs:
        options.setdefault(p.seeker, []).append(p)
    seekers = sorted(options)
    left = {o.id: o.capacity for o in offerers}
    best = (0, 0, 0)
    chosen: list[Pair] = []

    def walk(i: int) -> None:
        nonlocal best
        if i == len(seekers):
            best = max(best, value(chosen, prio))
            return
        walk(i + 1)  # this seeker unmatched
        for p in options[seekers[i]]:
            if left[p.offerer] > 0:
                left[p.offerer] -= 1
                chosen.append(p)
                walk(i + 1)
                chosen.pop()
                left[p.offerer] += 1

    walk(0)
    return best
