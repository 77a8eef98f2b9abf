"""Random small instances: the engine against an independent oracle."""

from __future__ import annotations

import random
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commonhome.matching import engine
from commonhome.matching.engine import HARD, PRIORITY, SOFT, Rules, Side
from tests.matching import oracle

LANGUAGES = ("ar", "fa", "uk")
GROUPS = ("women", "youth", "families")
SLOTS = ("mon-eve", "sat-am", "sun-pm")
CONDITIONS = ("pets", "step_free")
SKILLS = ("cooking", "driving", "welding")
INTERESTS = ("chess", "football", "music", "cooking")
GENDERS = ("", "f", "m")
PREFERENCES = ("", "", "", "f", "m")
ORIGINS = ("", "", "sy", "af", "ua")


def subset(
    pool: tuple[str, ...], at_most: int = 2, at_least: int = 0
) -> st.SearchStrategy[frozenset[str]]:
    return st.frozensets(st.sampled_from(pool), min_size=at_least, max_size=at_most)


@st.composite
def sides(draw: st.DrawFn, prefix: str, count: int, offerer: bool) -> list[Side]:
    out = []
    for i in range(count):
        band = None
        if draw(st.integers(0, 3)) == 0:
            low = draw(st.integers(18, 60))
            band = (low, low + draw(st.integers(0, 30)))
        located = draw(st.integers(0, 9)) > 0
        out.append(
            Side(
                id=f"{prefix}{i}",
                capacity=draw(st.sampled_from((0, 1, 1, 2, 3))) if offerer else 1,
                languages=draw(subset(LANGUAGES, 2, 1)),
                learning=draw(subset(LANGUAGES, 2, 1)),
                gender=draw(st.sampled_from(GENDERS)),
                gender_preference=draw(st.sampled_from(PREFERENCES)),
                age=draw(st.none() | st.integers(18, 80)),
                age_band=band,
                groups=draw(subset(GROUPS, 1)),
                lat=draw(st.floats(48.0, 48.2)) if located else None,
                lon=draw(st.floats(16.2, 16.5)) if located else None,
                availability=draw(subset(SLOTS, 3, 1)),
                skills=draw(subset(SKILLS, 1 if offerer else 3)),
                needs=frozenset() if offerer else draw(subset(CONDITIONS, 1)),
                offers=draw(subset(CONDITIONS)) if offerer else frozenset(),
                interests=draw(subset(INTERESTS, 3)),
                origin=draw(st.sampled_from(ORIGINS)),
                waiting_days=0 if offerer else draw(st.integers(0, 120)),
            )
        )
    return out


@dataclass
class Instance:
    seekers: list[Side]
    offerers: list[Side]
    rules: Rules
    excluded: frozenset[tuple[str, str]]


@st.composite
def instances(draw: st.DrawFn, max_seekers: int = 7, max_offerers: int = 5) -> Instance:
    seekers = draw(sides("s", draw(st.integers(1, max_seekers)), offerer=False))
    offerers = draw(sides("o", draw(st.integers(1, max_offerers)), offerer=True))
    hard = draw(st.frozensets(st.sampled_from(HARD), max_size=3))
    weights = draw(st.dictionaries(st.sampled_from(SOFT), st.integers(0, 5)))
    rules = Rules(
        hard=hard,
        weights=weights,
        max_km=draw(st.floats(3.0, 40.0)) if "distance" in hard else None,
        priority=draw(st.frozensets(st.sampled_from(PRIORITY))),
        long_wait_days=draw(st.integers(30, 100)),
        few_options_max=draw(st.integers(1, 3)),
    )
    all_keys = [(s.id, o.id) for s in seekers for o in offerers]
    excluded = (
        draw(st.frozensets(st.sampled_from(all_keys), max_size=4)) if all_keys else frozenset()
    )
    return Instance(seekers, offerers, rules, excluded)


FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _solve(inst: Instance, method: str = "flow") -> tuple[engine.Candidates, engine.Solution]:
    pairs = engine.candidates(inst.seekers, inst.offerers, inst.rules, excluded=inst.excluded)
    return pairs, engine.solve(inst.seekers, inst.offerers, pairs, inst.rules, method=method)


@FAST
@given(instances())
def test_candidates_are_exactly_the_pairs_meeting_every_hard_constraint(inst: Instance) -> None:
    pairs = engine.candidates(inst.seekers, inst.offerers, inst.rules, excluded=inst.excluded)
    keys = [(p.seeker, p.offerer) for p in pairs]
    assert keys == sorted(keys)
    assert set(keys) == oracle.candidate_keys(
        inst.seekers, inst.offerers, inst.rules, inst.excluded
    )
    assert not set(keys) & inst.excluded
    for p in pairs:
        assert p.score == sum(v for _, v in p.parts)
        assert [name for name, _ in p.parts] == [n for n in SOFT if n in inst.rules.weights]


@FAST
@given(instances())
def test_why_unmatched_is_none_exactly_when_a_candidate_exists(inst: Instance) -> None:
    pairs = engine.candidates(inst.seekers, inst.offerers, inst.rules, excluded=inst.excluded)
    has = {p.seeker for p in pairs}
    for s in inst.seekers:
        why = engine.why_unmatched(s, inst.offerers, inst.rules, excluded=inst.excluded)
        assert (why is None) == (s.id in has)
        assert why is None or why in engine.WHY_NOT


@FAST
@given(instances())
def test_flow_equals_the_oracle_optimum_and_respects_every_limit(inst: Instance) -> None:
    pairs, solution = _solve(inst)
    prio = oracle.priority(inst.seekers, [(p.seeker, p.offerer) for p in pairs], inst.rules)
    assert solution.priority == prio
    best, _ = oracle.optimum_networkx(inst.offerers, pairs, prio)
    assert solution.objective == best
    assert solution.objective == oracle.value(solution.matches, prio)

    capacity = {o.id: o.capacity for o in inst.offerers}
    seekers = [m.seeker for m in solution.matches]
    assert len(seekers) == len(set(seekers)), "nobody is matched twice"
    for offerer_id, cap in capacity.items():
        assert sum(m.offerer == offerer_id for m in solution.matches) <= cap
    by_id = {s.id: s for s in [*inst.seekers, *inst.offerers]}
    for m in solution.matches:
        assert (m.seeker, m.offerer) not in inst.excluded
        assert oracle.hard_ok(by_id[m.seeker], by_id[m.offerer], inst.rules)


@settings(max_examples=80, deadline=None)
@given(instances(max_seekers=4, max_offerers=3))
def test_flow_equals_brute_force_on_tiny_instances(inst: Instance) -> None:
    pairs, solution = _solve(inst)
    assert solution.objective == oracle.optimum_brute_force(inst.offerers, pairs, solution.priority)


@FAST
@given(instances())
def test_priority_seekers_are_all_matched_whenever_some_solution_matches_them(
    inst: Instance,
) -> None:
    pairs, solution = _solve(inst)
    _, best = oracle.optimum_networkx(inst.offerers, pairs, solution.priority)
    if solution.priority <= {m.seeker for m in best}:
        assert solution.priority <= {m.seeker for m in solution.matches}


@FAST
@given(instances())
def test_greedy_never_beats_flow(inst: Instance) -> None:
    _, flow = _solve(inst, "flow")
    _, greedy = _solve(inst, "greedy")
    assert greedy.method == "greedy"
    assert greedy.objective <= flow.objective


@FAST
@given(instances(), st.randoms(use_true_random=False))
def test_forced_pairs_are_always_in_the_result(inst: Instance, rnd: random.Random) -> None:
    capacity = {o.id: o.capacity for o in inst.offerers}
    forced: list[tuple[str, str]] = []
    for s in inst.seekers:
        open_offerers = [o for o, c in capacity.items() if c > 0]
        if open_offerers and rnd.random() < 0.3:
            o = rnd.choice(sorted(open_offerers))
            capacity[o] -= 1
            forced.append((s.id, o))
    pairs = engine.candidates(inst.seekers, inst.offerers, inst.rules, excluded=inst.excluded)
    solution = engine.solve(inst.seekers, inst.offerers, pairs, inst.rules, forced=forced)
    keys = {(m.seeker, m.offerer) for m in solution.matches}
    assert set(forced) <= keys
    for offerer_id, cap in ((o.id, o.capacity) for o in inst.offerers):
        assert sum(m.offerer == offerer_id for m in solution.matches) <= cap
    # The rest is still optimal once the forced pairs have taken their place.
    taken = {s for s, _ in forced}
    rest = [p for p in pairs if p.seeker not in taken]
    reduced = [engine.Side(o.id, capacity=capacity[o.id]) for o in inst.offerers]
    best, _ = oracle.optimum_networkx(reduced, rest, solution.priority)
    free = [m for m in solution.matches if m.seeker not in taken]
    assert oracle.value(free, solution.priority) == best


@FAST
@given(instances(), st.randoms(use_true_random=False))
def test_same_input_gives_the_same_solution(inst: Instance, rnd: random.Random) -> None:
    pairs, first = _solve(inst)
    _, second = _solve(inst)
    assert first == second
    shuffled_seekers, shuffled_offerers = list(inst.seekers), list(inst.offerers)
    rnd.shuffle(shuffled_seekers)
    rnd.shuffle(shuffled_offerers)
    again = engine.candidates(
        shuffled_seekers, shuffled_offerers, inst.rules, excluded=inst.excluded
    )
    assert list(again) == list(pairs)
    # The same answer from shuffled input, and from the pairs given as a plain list.
    assert engine.solve(shuffled_seekers, shuffled_offerers, again, inst.rules) == first
    assert engine.solve(inst.seekers, inst.offerers, list(pairs), inst.rules) == first
    _, greedy_a = _solve(inst, "greedy")
    _, greedy_b = _solve(inst, "greedy")
    assert greedy_a == greedy_b
