"""Measuring matching at scale: from the database to stored proposals, and how good they are.

Works on whatever database is configured; ``commonhome bench matching`` runs it inside a
scratch database, never on real content. The pool comes from ``synthetic`` (a buddy programme
where one newcomer in twenty speaks only a rare language); profiles are written in bulk, then
one timed :func:`~commonhome.matching.runner.run_matching` reads them, solves and stores the
proposals. Afterwards the same pool is solved again, without storing, by greedy and by plain
score-maximisation (no priority), to show what the optimal, priority-aware solution buys.
"""

from __future__ import annotations

import datetime as dt
import resource
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from commonhome.core.models import Place

from . import engine
from .constants import ConsentPurpose, ProgrammeKind, Side
from .models import Profile, Programme, Proposal
from .runner import load_pool, run_matching
from .synthetic import synthetic_instance

BATCH_SIZE = 2000
STATUS = Path("/proc/self/status")
CLEAR_REFS = Path("/proc/self/clear_refs")


@dataclass
class Figures:
    seekers: int
    offerers: int
    pairs: int
    matched: int
    score_vs_optimum_pct: float
    few_candidates_matched_pct: float
    candidates_s: float
    solve_s: float
    total_s: float
    peak_mb: float

    def summary(self) -> str:
        return (
            f"matching: seekers={self.seekers} offerers={self.offerers} pairs={self.pairs} "
            f"matched={self.matched} score_vs_optimum_pct={self.score_vs_optimum_pct:.2f} "
            f"few_candidates_matched_pct={self.few_candidates_matched_pct:.1f} "
            f"solve_s={self.solve_s:.3f} total_s={self.total_s:.3f} peak_mb={self.peak_mb:.0f}"
        )


def _reset_peak_memory() -> bool:
    """Reset the kernel's peak-RSS mark (Linux), so the peak is the run's, not the set-up's."""
    try:
        CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def _peak_mb(reset: bool) -> float:
    if reset:
        for line in STATUS.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _pct(part: float, whole: float) -> float:
    return 100.0 * part / whole if whole else 100.0


def populate(
    seekers: int, offerers: int, *, seed: int, now: dt.datetime
) -> tuple[Programme, dict[str, str]]:
    """A place, a buddy programme and its profiles, written in bulk.

    Returns the programme and the synthetic ids of the few-candidates group mapped to profile
    ids. Profiles are written as sign-up would leave them, without going through it (that
    would measure 28,000 sign-ups, not matching).
    """
    instance = synthetic_instance(seekers, offerers, seed=seed)
    rules = instance.rules
    place = Place.objects.create(slug=f"bench-{uuid.uuid4().hex[:8]}", name="Bench city")
    programme = Programme.objects.create(
        place=place,
        slug="buddies",
        kind=ProgrammeKind.BUDDY,
        name="Buddies",
        rules={
            "hard": sorted(rules.hard),
            "weights": dict(rules.weights),
            "max_km": rules.max_km,
            "priority": sorted(rules.priority),
            "long_wait_days": rules.long_wait_days,
            "few_options_max": rules.few_options_max,
        },
    )
    # Nobody in the pool asked for e-mails: the run is measured, not mail delivery, which a
    # worker does afterwards.
    consent = {
        p: now.isoformat() for p in ConsentPurpose.values if p != ConsentPurpose.EMAIL_UPDATES
    }
    ids: dict[str, str] = {}

    def profile(side: engine.Side, kind: str) -> Profile:
        pk = uuid.uuid4()
        ids[side.id] = str(pk)
        return Profile(
            id=pk,
            place=place,
            programme=programme,
            side=kind,
            display_name=f"{kind} {side.id}",
            email=f"{side.id}@example.org",
            language="en",
            languages=sorted(side.languages),
            learning=sorted(side.learning),
            gender=side.gender,
            gender_preference=side.gender_preference,
            groups=sorted(side.groups),
            latitude=side.lat,
            longitude=side.lon,
            availability=sorted(side.availability),
            skills=sorted(side.skills),
            needs=sorted(side.needs),
            offers=sorted(side.offers),
            interests=sorted(side.interests),
            origin=side.origin,
            capacity=side.capacity,
            consents=consent,
            waiting_since=now - dt.timedelta(days=side.waiting_days),
            created_at=now,
            updated_at=now,
        )

    for group, kind in ((instance.offerers, Side.OFFERER), (instance.seekers, Side.SEEKER)):
        for start in range(0, len(group), BATCH_SIZE):
            Profile.objects.bulk_create(
                [profile(side, kind) for side in group[start : start + BATCH_SIZE]]
            )
    return programme, {sid: ids[sid] for sid in instance.few_candidates}


def run(
    seekers: int, offerers: int, *, seed: int = 1, out: Callable[[str], None] = print
) -> Figures:
    now = timezone.now()
    started = time.perf_counter()
    programme, rare = populate(seekers, offerers, seed=seed, now=now)
    out(f"wrote {seekers} seekers and {offerers} offerers in {time.perf_counter() - started:.1f} s")
    # A bulk load leaves the planner without statistics; a running database gathers them.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")

    reset = _reset_peak_memory()
    started = time.perf_counter()
    matching_run = run_matching(programme, now=now)
    total_s = time.perf_counter() - started
    peak_mb = _peak_mb(reset)
    stats = matching_run.stats
    timings = stats["timings"]
    stored = Proposal.objects.filter(run=matching_run).aggregate(score=Sum("score"))["score"] or 0
    optimum = stats["objective"][2]
    matched_ids = set(Proposal.objects.filter(run=matching_run).values_list("seeker_id", flat=True))
    rare_matched = sum(1 for pk in rare.values() if uuid.UUID(pk) in matched_ids)
    out(
        f"pool: {stats['seekers']} seekers, {stats['offerers']} offerers, "
        f"capacity {stats['capacity']}"
    )
    out(f"load from the database: {timings['load_s']:.3f} s")
    out(f"candidate generation: {timings['candidates_s']:.3f} s ({stats['pairs']} pairs)")
    out(f"solve (max flows and min-cost flow): {timings['solve_s']:.3f} s")
    out(
        f"explain the {stats['matched']} matches (score parts, reasons): "
        f"{timings['explain_matches_s']:.3f} s"
    )
    out(f"store proposals: {timings['store_s']:.3f} s")
    out(f"explain the unmatched: {timings['explain_s']:.3f} s, reasons {stats['unmatched']}")
    out(f"total, database to stored proposals: {total_s:.3f} s")
    matched_pct = _pct(stats["matched"], stats["seekers"])
    out(f"matched: {stats['matched']} of {stats['seekers']} ({matched_pct:.1f} %)")
    score_pct = _pct(stored, optimum)
    out(f"score stored vs optimum: {stored} / {optimum} = {score_pct:.2f} %")
    few_pct = _pct(stats["few_options_matched"], stats["few_options"])
    out(
        f"few candidates (1 to {programme.engine_rules().few_options_max}): "
        f"{stats['few_options_matched']} of {stats['few_options']} matched ({few_pct:.1f} %); "
        f"rare-language speakers: {rare_matched} of {len(rare)} "
        f"({_pct(rare_matched, len(rare)):.1f} %)"
    )
    out(f"peak memory of the run: {peak_mb:.0f} MB")
    _compare(programme, matching_run.pk, now=now, optimum=optimum, out=out)
    return Figures(
        seekers=seekers,
        offerers=offerers,
        pairs=stats["pairs"],
        matched=stats["matched"],
        score_vs_optimum_pct=score_pct,
        few_candidates_matched_pct=few_pct,
        candidates_s=timings["candidates_s"],
        solve_s=timings["solve_s"],
        total_s=total_s,
        peak_mb=peak_mb,
    )


def _compare(
    programme: Programme,
    run_id: object,
    *,
    now: dt.datetime,
    optimum: int,
    out: Callable[[str], None],
) -> None:
    """Solve the pool as it was before the run, by greedy and without priority; store nothing."""
    with transaction.atomic():
        Proposal.objects.filter(run_id=run_id).delete()
        pool = load_pool(programme, now=now)
        transaction.set_rollback(True)
    pairs = engine.candidates(pool.seekers, pool.offerers, pool.rules, excluded=pool.excluded)
    few = {s for s, n in pairs.per_seeker().items() if n <= pool.rules.few_options_max}
    plain_rules = engine.Rules(
        hard=pool.rules.hard,
        weights=pool.rules.weights,
        max_km=pool.rules.max_km,
        priority=frozenset(),
        long_wait_days=pool.rules.long_wait_days,
        few_options_max=pool.rules.few_options_max,
    )
    for label, rules, method in (
        ("greedy", pool.rules, "greedy"),
        ("flow without priority", plain_rules, "flow"),
    ):
        started = time.perf_counter()
        solution = engine.solve(pool.seekers, pool.offerers, pairs, rules, method=method)
        took = time.perf_counter() - started
        matched = {p.seeker for p in solution.matches}
        out(
            f"{label}: {took:.3f} s, matched {len(matched)}, score "
            f"{_pct(solution.objective[2], optimum):.2f} % of the optimum, few candidates "
            f"matched {_pct(len(few & matched), len(few)):.1f} %"
        )
