"""From the database to the engine and back: one run of matching over a programme's pool.

The pool is read in a fixed number of queries whatever its size: active profiles, every
proposal the programme ever made (pairs never to propose again, and the live ones that hold
people and capacity) and the coordinators' pair rules. The new proposals are written in bulk.
The programme row is locked for the run, so two runs of one programme (the daily task and a
coordinator's request) never book the same people twice; the database's own constraints
(one live proposal per seeker, each pair once) stand behind that.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from commonhome.core import audit, events

from . import engine
from .constants import (
    LIVE_STATUSES,
    UNMATCHED_OUTCOMPETED,
    PairRuleKind,
    ProfileStatus,
    Side,
)
from .models import MatchRun, PairRule, Profile, Programme, Proposal

#: How many seekers without any candidate get an explanation per run. ``why_unmatched`` walks
#: every offerer for each of them; a sample is enough for the dashboard's counts, and a
#: coordinator can ask for any one person's reason on demand.
EXPLAIN_LIMIT = 300
#: Proposals written per INSERT.
BATCH_SIZE = 2000


@dataclass
class Pool:
    """A programme's pool as the engine sees it, with what the runner needs to store results."""

    seekers: list[engine.Side]
    offerers: list[engine.Side]
    """Offerers with capacity left; ``full`` are the others (for explanations only)."""
    full: list[engine.Side]
    excluded: frozenset[tuple[str, str]]
    forced: list[tuple[str, str]]
    rules: engine.Rules
    ids: dict[str, Any] = field(default_factory=dict)
    """Engine id (a string) → profile primary key."""


def load_pool(programme: Programme, *, now: dt.datetime) -> Pool:
    """Read the pool in a fixed number of queries.

    Seekers in a live proposal are out; offerers' live proposals use capacity, accepted and
    still proposed alike, so nobody is booked twice. Every pair the programme ever proposed is
    excluded (declined, expired and ended pairs are never proposed again), as are pairs a
    coordinator forbade; pairs a coordinator forced are proposed as soon as both are free.
    """
    busy_seekers: set[str] = set()
    used: Counter[str] = Counter()
    excluded: set[tuple[str, str]] = set()
    for seeker_id, offerer_id, status in Proposal.objects.filter(programme=programme).values_list(
        "seeker_id", "offerer_id", "status"
    ):
        pair = (str(seeker_id), str(offerer_id))
        excluded.add(pair)
        if status in LIVE_STATUSES:
            busy_seekers.add(pair[0])
            used[pair[1]] += 1
    force_rules: list[tuple[str, str]] = []
    for seeker_id, offerer_id, kind in (
        PairRule.objects.filter(programme=programme)
        .order_by("at", "pk")
        .values_list("seeker_id", "offerer_id", "kind")
    ):
        pair = (str(seeker_id), str(offerer_id))
        if kind == PairRuleKind.FORBID:
            excluded.add(pair)
        elif pair not in excluded:
            force_rules.append(pair)

    seekers: list[engine.Side] = []
    offerers: list[engine.Side] = []
    full: list[engine.Side] = []
    ids: dict[str, Any] = {}
    profiles = Profile.objects.filter(programme=programme, status=ProfileStatus.ACTIVE)
    for profile in profiles.only(*Profile.ENGINE_FIELDS).order_by("pk").iterator(chunk_size=5000):
        key = str(profile.pk)
        if profile.side == Side.SEEKER:
            if key in busy_seekers:
                continue
            seekers.append(profile.to_side(1, now=now))
        else:
            remaining = profile.capacity - used[key]
            side = profile.to_side(max(remaining, 0), now=now)
            (offerers if remaining > 0 else full).append(side)
        ids[key] = profile.pk

    # A forced pair waits until both are free; each seeker once, within the offerer's capacity.
    capacity = {o.id: o.capacity for o in offerers}
    seeker_ids = {s.id for s in seekers}
    forced: list[tuple[str, str]] = []
    taken: set[str] = set()
    for seeker_id, offerer_id in force_rules:
        if seeker_id in seeker_ids and seeker_id not in taken and capacity.get(offerer_id, 0) > 0:
            forced.append((seeker_id, offerer_id))
            taken.add(seeker_id)
            capacity[offerer_id] -= 1
    return Pool(
        seekers=seekers,
        offerers=offerers,
        full=full,
        excluded=frozenset(excluded),
        forced=forced,
        rules=programme.engine_rules(),
        ids=ids,
    )


def _unmatched_reasons(
    pool: Pool, with_candidates: Mapping[str, int], matched: set[str]
) -> tuple[dict[str, int], int]:
    """Counts of why seekers are unmatched: outcompeted, or the constraint that left none."""
    reasons: Counter[str] = Counter()
    explained = 0
    everyone = [*pool.offerers, *pool.full]
    for seeker in pool.seekers:
        if seeker.id in matched:
            continue
        if seeker.id in with_candidates:
            reasons[UNMATCHED_OUTCOMPETED] += 1
        elif explained < EXPLAIN_LIMIT:
            why = engine.why_unmatched(seeker, everyone, pool.rules, excluded=pool.excluded)
            reasons[why or "excluded"] += 1
            explained += 1
        else:
            reasons["not_explained"] += 1
    return dict(sorted(reasons.items())), explained


def run_matching(
    programme: Programme,
    *,
    method: str = "flow",
    now: dt.datetime | None = None,
    requested_by: Any = None,
) -> MatchRun:
    """Propose pairs for everyone free in ``programme``; returns the run with its figures.

    Proposals are stored with their score parts and reasons (what each person is shown), and
    expire after the programme's ``proposal_expiry_days``.
    """
    now = now or timezone.now()
    started = time.perf_counter()
    with transaction.atomic():
        programme = (
            Programme.objects.select_for_update().select_related("place").get(pk=programme.pk)
        )
        run = MatchRun.objects.create(
            place=programme.place,
            programme=programme,
            method=method,
            started_at=now,
            requested_by=requested_by,
        )
        pool = load_pool(programme, now=now)
        loaded = time.perf_counter()
        pairs = engine.candidates(pool.seekers, pool.offerers, pool.rules, excluded=pool.excluded)
        generated = time.perf_counter()
        solution = engine.solve(
            pool.seekers, pool.offerers, pairs, pool.rules, forced=pool.forced, method=method
        )
        solved = time.perf_counter()
        forced = set(pool.forced)
        expires_at = now + dt.timedelta(days=programme.proposal_expiry_days)
        Proposal.objects.bulk_create(
            [
                Proposal(
                    place=programme.place,
                    programme=programme,
                    seeker_id=pool.ids[pair.seeker],
                    offerer_id=pool.ids[pair.offerer],
                    score=pair.score,
                    parts=dict(pair.parts),
                    reasons=list(pair.reasons),
                    forced=(pair.seeker, pair.offerer) in forced,
                    proposed_at=now,
                    expires_at=expires_at,
                    run=run,
                    created_at=now,
                    updated_at=now,
                )
                for pair in solution.matches
            ],
            batch_size=BATCH_SIZE,
        )
        stored = time.perf_counter()
        matched = {pair.seeker for pair in solution.matches}
        candidates_per_seeker = pairs.per_seeker()
        unmatched, explained = _unmatched_reasons(pool, candidates_per_seeker, matched)
        explained_at = time.perf_counter()
        few = {
            seeker
            for seeker, count in candidates_per_seeker.items()
            if count <= pool.rules.few_options_max
        }
        waiting = [s.waiting_days for s in pool.seekers]
        run.method = solution.method
        run.finished_at = timezone.now()
        run.stats = {
            "seekers": len(pool.seekers),
            "offerers": len(pool.offerers),
            "offerers_full": len(pool.full),
            "capacity": sum(o.capacity for o in pool.offerers),
            "pairs": len(pairs),
            "matched": len(solution.matches),
            "forced": len(pool.forced),
            "priority": len(solution.priority),
            "priority_matched": solution.objective[0],
            "few_options": len(few),
            "few_options_matched": len(few & matched),
            "objective": list(solution.objective),
            "score": solution.objective[2],
            "waiting_days_median": statistics.median(waiting) if waiting else 0,
            "unmatched": unmatched,
            "unmatched_explained": explained,
            "timings": {
                "load_s": round(loaded - started, 4),
                "candidates_s": round(generated - loaded, 4),
                "solve_s": round(solution.seconds, 4),
                "explain_matches_s": round(solved - generated - solution.seconds, 4),
                "store_s": round(stored - solved, 4),
                "explain_s": round(explained_at - stored, 4),
                "total_s": round(time.perf_counter() - started, 4),
            },
        }
        run.save(update_fields=["method", "finished_at", "stats"])
        audit.record(
            requested_by,
            "matching.run",
            run,
            after={k: run.stats[k] for k in ("seekers", "offerers", "pairs", "matched")},
            note=f"{programme.slug}: {solution.method}",
        )
        events.emit("matching.run_finished", run=run)
    return run
