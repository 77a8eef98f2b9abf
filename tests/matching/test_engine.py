"""The matching engine, one behaviour per test."""

from __future__ import annotations

import pytest

from commonhome.matching import engine
from commonhome.matching.engine import Pair, Rules, Side, candidates, solve, why_unmatched


def fs(*items: str) -> frozenset[str]:
    return frozenset(items)


BUDDY = Rules(hard=fs("shared_language"), weights={"interests": 2, "language": 1})


def keys(pairs: list[Pair] | tuple[Pair, ...]) -> list[tuple[str, str]]:
    return [(p.seeker, p.offerer) for p in pairs]


def test_rare_language_seeker_is_matched_before_score_is_maximised() -> None:
    # o1 is the only Tigrinya speaker, and a1 would score far more with o1 than with o2.
    seekers = [
        Side("rare", languages=fs("ti")),
        Side("a1", languages=fs("ar"), interests=fs("chess", "music", "football")),
        Side("a2", languages=fs("ar")),
    ]
    offerers = [
        Side("o1", languages=fs("ti", "ar"), interests=fs("chess", "music", "football")),
        Side("o2", languages=fs("ar")),
    ]
    plain = Rules(hard=fs("shared_language"), weights={"interests": 5})
    pairs = candidates(seekers, offerers, plain)
    by_score = solve(seekers, offerers, pairs, plain)
    assert ("a1", "o1") in keys(by_score.matches)
    assert "rare" not in {m.seeker for m in by_score.matches}

    fair = Rules(
        hard=plain.hard, weights=plain.weights, priority=fs("few_options"), few_options_max=1
    )
    prioritised = solve(seekers, offerers, candidates(seekers, offerers, fair), fair)
    assert prioritised.priority == {"rare"}
    assert ("rare", "o1") in keys(prioritised.matches)
    assert prioritised.objective[0] == 1
    assert prioritised.objective[2] < by_score.objective[2]


def test_declined_pair_is_never_proposed_again() -> None:
    seekers = [Side("s1", languages=fs("fa"))]
    offerers = [Side("o1", languages=fs("fa")), Side("o2", languages=fs("fa"))]
    pairs = candidates(seekers, offerers, BUDDY, excluded={("s1", "o1")})
    assert keys(pairs) == [("s1", "o2")]
    assert keys(solve(seekers, offerers, pairs, BUDDY).matches) == [("s1", "o2")]
    assert why_unmatched(seekers[0], offerers[:1], BUDDY, excluded={("s1", "o1")}) == "excluded"


def test_gender_preference_is_respected_both_ways() -> None:
    rules = Rules(hard=fs("gender"))
    woman_wanting_woman = Side("s1", gender="f", gender_preference="f")
    man = Side("s2", gender="m")
    unsaid = Side("s3")
    offerers = [
        Side("o_f", gender="f"),
        Side("o_m", gender="m"),
        Side("o_f_for_f", gender="f", gender_preference="f"),
    ]
    found = set(keys(candidates([woman_wanting_woman, man, unsaid], offerers, rules)))
    assert found == {
        ("s1", "o_f"),
        ("s1", "o_f_for_f"),
        ("s2", "o_f"),
        ("s2", "o_m"),
        ("s3", "o_f"),
        ("s3", "o_m"),
    }


def test_candidates_use_indexes_not_all_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    """2,000 × 2,000 people with no language in common: the indexes find no pair, so not a
    single pair is looked at one by one."""
    looked_at: list[tuple[str, str]] = []
    meets = engine._meets

    def counting(name: str, s: Side, o: Side, rules: Rules) -> bool:
        looked_at.append((s.id, o.id))
        return meets(name, s, o, rules)

    monkeypatch.setattr(engine, "_meets", counting)
    rules = Rules(hard=fs("shared_language", "age_band"))
    seekers = [Side(f"s{i:04}", languages=fs(f"x{i % 50}")) for i in range(2000)]
    offerers = [Side(f"o{i:04}", languages=fs(f"y{i % 50}")) for i in range(2000)]
    assert len(candidates(seekers, offerers, rules)) == 0
    assert looked_at == []

    # With one shared language between 3 seekers and 2 offerers, exactly those 6 are looked at.
    seekers += [Side(f"t{i}", languages=fs("fa")) for i in range(3)]
    offerers += [Side(f"p{i}", languages=fs("fa")) for i in range(2)]
    assert len(candidates(seekers, offerers, rules)) == 6
    assert len(looked_at) == 6


def test_distance_prefilter_keeps_every_pair_within_reach() -> None:
    rules = Rules(hard=fs("distance"), max_km=10.0)
    seeker = Side("s", lat=64.0, lon=179.99)
    offerers = [
        Side("across_the_antimeridian", lat=64.0, lon=-179.9),  # about 5 km away
        Side("just_inside", lat=64.0 + 9.9 / 111.2, lon=179.99),
        Side("just_outside", lat=64.0 + 10.2 / 111.2, lon=179.99),
        Side("nowhere"),
    ]
    found = {p.offerer for p in candidates([seeker], offerers, rules)}
    assert found == {"across_the_antimeridian", "just_inside"}
    pair = candidates([seeker], offerers[:1], rules)[0]
    assert pair.reasons[0].startswith("distance:") and pair.reasons[0].endswith("km")


def test_language_exchange_needs_both_directions() -> None:
    rules = Rules(hard=fs("language_exchange"), weights={"language": 1})
    seeker = Side("s", languages=fs("fa"), learning=fs("de"))
    teaches_and_learns = Side("o1", languages=fs("de"), learning=fs("fa"))
    only_teaches = Side("o2", languages=fs("de"), learning=fs("es"))
    pairs = candidates([seeker], [teaches_and_learns, only_teaches], rules)
    assert keys(pairs) == [("s", "o1")]
    assert pairs[0].reasons == ("language_exchange:learns=de", "language_exchange:teaches=fa")
    assert pairs[0].parts == (("language", 0),)


def test_score_is_kept_as_named_weighted_parts() -> None:
    rules = Rules(
        hard=fs("shared_language"),
        weights={"language": 3, "origin": 5, "interests": 2, "distance": 1, "waiting": 1},
    )
    seeker = Side(
        "s",
        languages=fs("fa", "en", "ar"),
        interests=fs("chess", "music"),
        origin="af",
        lat=48.2,
        lon=16.37,
        waiting_days=30,
    )
    offerer = Side(
        "o",
        languages=fs("fa", "en"),
        interests=fs("music", "chess", "hiking"),
        origin="af",
        lat=48.2,
        lon=16.38,  # under 1 km
    )
    (pair,) = candidates([seeker], [offerer], rules)
    assert pair.parts == (
        ("language", 3),  # one shared language beyond the required one
        ("origin", 5),
        ("interests", 4),
        ("distance", 6),
        ("waiting", 4),  # four whole weeks
    )
    assert pair.score == 22
    assert pair.reasons == ("shared_language:en", "shared_language:fa")


def test_origin_counts_only_when_both_opted_in() -> None:
    rules = Rules(hard=fs(), weights={"origin": 1})
    seeker = Side("s", origin="")
    offerers = [Side("o1", origin=""), Side("o2", origin="sy")]
    assert [p.score for p in candidates([seeker], offerers, rules)] == [0, 0]
    assert candidates([Side("s", origin="sy")], offerers, rules)[1].score == 1


def test_age_band_target_group_skills_and_conditions() -> None:
    rules = Rules(hard=fs("age_band", "target_group", "skills", "conditions"))
    seeker = Side(
        "s",
        age=25,
        age_band=(20, 40),
        groups=fs("women"),
        skills=fs("cooking", "driving"),
        needs=fs("pets"),
    )
    good = dict(age=30, offers=fs("pets", "step_free"))
    offerers = [
        Side("ok", **good),  # type: ignore[arg-type]
        Side("serves_women", groups=fs("women"), **good),  # type: ignore[arg-type]
        Side("serves_youth", groups=fs("youth"), **good),  # type: ignore[arg-type]
        Side("too_old", age=50, offers=fs("pets")),
        Side("no_age", offers=fs("pets")),
        Side("wants_older", age=30, age_band=(30, 60), offers=fs("pets")),
        Side("needs_welding", age=30, skills=fs("welding"), offers=fs("pets")),
        Side("needs_driving", age=30, skills=fs("driving"), offers=fs("pets")),
        Side("no_pets", age=30),
    ]
    found = {p.offerer for p in candidates([seeker], offerers, rules)}
    assert found == {"ok", "serves_women", "needs_driving"}


def test_greedy_can_leave_matchable_people_unmatched_where_flow_does_not() -> None:
    seekers = [
        Side("s1", languages=fs("fa", "en"), interests=fs("chess")),
        Side("s2", languages=fs("fa")),
    ]
    offerers = [
        Side("o1", languages=fs("fa"), interests=fs("chess")),
        Side("o2", languages=fs("en")),
    ]
    pairs = candidates(seekers, offerers, BUDDY)
    greedy = solve(seekers, offerers, pairs, BUDDY, method="greedy")
    flow = solve(seekers, offerers, pairs, BUDDY)
    assert keys(greedy.matches) == [("s1", "o1")]
    assert keys(flow.matches) == [("s1", "o2"), ("s2", "o1")]
    assert flow.method == "flow" and greedy.method == "greedy"


def test_offerer_capacity_is_used_up_to_its_limit() -> None:
    seekers = [Side(f"s{i}", languages=fs("uk")) for i in range(5)]
    offerers = [Side("host", capacity=3, languages=fs("uk"))]
    solution = solve(seekers, offerers, candidates(seekers, offerers, BUDDY), BUDDY)
    assert keys(solution.matches) == [("s0", "host"), ("s1", "host"), ("s2", "host")]


def test_long_waiting_seekers_are_a_priority_group() -> None:
    rules = Rules(hard=fs("shared_language"), priority=fs("long_waiting"), long_wait_days=60)
    seekers = [
        Side("new", languages=fs("ar"), waiting_days=3),
        Side("waited", languages=fs("ar"), waiting_days=90),
    ]
    offerers = [Side("o", languages=fs("ar"))]
    pairs = candidates(seekers, offerers, rules)
    assert engine.priority_seekers(seekers, pairs, rules) == {"waited"}
    assert keys(solve(seekers, offerers, pairs, rules).matches) == [("waited", "o")]


def test_few_options_counts_only_seekers_with_some_candidates() -> None:
    rules = Rules(hard=fs("shared_language"), priority=fs("few_options"), few_options_max=1)
    seekers = [Side("none", languages=fs("so")), Side("one", languages=fs("ti"))]
    offerers = [Side("o", languages=fs("ti"))]
    pairs = candidates(seekers, offerers, rules)
    assert engine.priority_seekers(seekers, pairs, rules) == {"one"}


def test_forced_pair_is_kept_even_outside_the_constraints() -> None:
    seekers = [Side("s1", languages=fs("fa")), Side("s2", languages=fs("so"))]
    offerers = [Side("o1", languages=fs("fa"))]
    pairs = candidates(seekers, offerers, BUDDY)
    solution = solve(seekers, offerers, pairs, BUDDY, forced=[("s2", "o1")])
    assert keys(solution.matches) == [("s2", "o1")]
    assert solution.matches[0].reasons == ("forced",)


def test_forced_pairs_beyond_capacity_are_refused() -> None:
    seekers = [Side("s1"), Side("s2")]
    offerers = [Side("o1")]
    with pytest.raises(ValueError, match="o1"):
        solve(seekers, offerers, [], Rules(hard=fs()), forced=[("s1", "o1"), ("s2", "o1")])
    with pytest.raises(ValueError, match="s1"):
        solve(seekers, [Side("o1", capacity=2)], [], Rules(hard=fs()), forced=[("s1", "o1")] * 2)


def test_full_offerers_are_not_candidates() -> None:
    seeker = Side("s", languages=fs("fa"))
    full = Side("o", capacity=0, languages=fs("fa"))
    assert len(candidates([seeker], [full], BUDDY)) == 0
    assert why_unmatched(seeker, [full], BUDDY) == "no_capacity"


def test_a_full_offerer_who_would_fit_is_the_reason_not_the_constraint_others_fail() -> None:
    # The only Farsi speaker nearby is full; the other volunteer is free but far away.
    rules = Rules(hard=fs("shared_language", "distance"), max_km=5.0)
    seeker = Side("s", languages=fs("fa"), lat=52.40, lon=-1.50)
    near_but_full = Side("near", capacity=0, languages=fs("fa"), lat=52.41, lon=-1.50)
    free_but_far = Side("far", languages=fs("fa"), lat=53.40, lon=-1.50)
    assert why_unmatched(seeker, [near_but_full, free_but_far], rules) == "no_capacity"
    # Without the full one, distance is what leaves nobody.
    assert why_unmatched(seeker, [free_but_far], rules) == "distance"


@pytest.mark.parametrize(
    ("offerers", "expected"),
    [
        ([], "no_offerers"),
        ([Side("o", languages=fs("en"), gender="m")], "shared_language"),
        ([Side("o", languages=fs("fa"), gender="m")], "gender"),
        ([Side("o", languages=fs("fa"), gender="f", availability=fs("sat-am"))], "availability"),
        ([Side("o", languages=fs("fa"), gender="f", availability=fs("mon-eve"))], None),
    ],
)
def test_why_unmatched_names_the_constraint_that_removed_the_last_candidates(
    offerers: list[Side], expected: str | None
) -> None:
    rules = Rules(hard=fs("shared_language", "gender", "availability"))
    seeker = Side("s", languages=fs("fa"), gender_preference="f", availability=fs("mon-eve"))
    assert why_unmatched(seeker, offerers, rules) == expected


def test_why_unmatched_checks_constraints_in_a_fixed_order() -> None:
    # Both constraints would remove the only offerer: the earlier one in HARD is named.
    rules = Rules(hard=fs("availability", "shared_language"))
    seeker = Side("s", languages=fs("fa"), availability=fs("mon-eve"))
    offerer = Side("o", languages=fs("en"), availability=fs("sat-am"))
    assert why_unmatched(seeker, [offerer], rules) == "shared_language"


def test_weights_too_large_for_64_bit_integers_are_refused() -> None:
    rules = Rules(hard=fs(), weights={"interests": 10**18})
    seekers = [Side(f"s{i}", interests=fs("chess", "music")) for i in range(10)]
    offerers = [Side(f"o{i}", interests=fs("chess", "music")) for i in range(10)]
    pairs = candidates(seekers, offerers, rules)
    with pytest.raises(OverflowError, match="64-bit"):
        solve(seekers, offerers, pairs, rules)
    # Greedy works on Python integers and still answers.
    assert len(solve(seekers, offerers, pairs, rules, method="greedy").matches) == 10


def test_solver_without_an_optimum_falls_back_to_greedy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(engine, "_flow", lambda *args: None)
    seekers = [Side("s", languages=fs("fa"))]
    offerers = [Side("o", languages=fs("fa"))]
    solution = solve(seekers, offerers, candidates(seekers, offerers, BUDDY), BUDDY)
    assert solution.method == "greedy"
    assert keys(solution.matches) == [("s", "o")]


def test_rules_name_the_field_of_a_mistake() -> None:
    with pytest.raises(ValueError, match="hard"):
        Rules(hard=fs("telepathy"))
    with pytest.raises(ValueError, match="weights"):
        Rules(hard=fs(), weights={"luck": 1})
    with pytest.raises(ValueError, match="weights"):
        Rules(hard=fs(), weights={"interests": -1})
    with pytest.raises(ValueError, match="priority"):
        Rules(hard=fs(), priority=fs("vip"))
    with pytest.raises(ValueError, match="max_km"):
        Rules(hard=fs("distance"))


def test_duplicate_ids_are_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        candidates([Side("s"), Side("s")], [], BUDDY)


def test_no_indexable_constraint_makes_every_pair_a_candidate() -> None:
    seekers = [Side(f"s{i}") for i in range(3)]
    offerers = [Side(f"o{i}") for i in range(4)]
    assert len(candidates(seekers, offerers, Rules(hard=fs()))) == 12


def test_synthetic_rare_language_group_has_one_to_three_candidates_each() -> None:
    from collections import Counter

    from commonhome.matching.synthetic import synthetic_instance

    inst = synthetic_instance(400, 160, seed=3)
    assert inst == synthetic_instance(400, 160, seed=3)
    assert len(inst.seekers) == 400 and len(inst.offerers) == 160
    assert len(inst.few_candidates) == 20
    counts = Counter(p.seeker for p in candidates(inst.seekers, inst.offerers, inst.rules))
    assert all(1 <= counts[s] <= 3 for s in inst.few_candidates)
    assert engine.priority_seekers(inst.seekers, [], inst.rules) == frozenset()
