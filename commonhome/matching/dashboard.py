"""What the coordinators' pages show: pool sizes, waiting, who is unmatched and why, proposals
waiting for an answer, match quality and recent runs.

Each figure is read in a fixed number of queries whatever the pool's size, so the pages stay
fast on large programmes. The unmatched reasons come from the same pool the runner reads
(``runner.load_pool``) and the engine's own ``why_unmatched``, so the page says what the next
run would find.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from commonhome.core.models import Place

from . import engine
from .constants import UNMATCHED_OUTCOMPETED, ProfileStatus, ProposalStatus, Response, Side
from .models import MatchRun, Profile, Programme, Proposal
from .runner import EXPLAIN_LIMIT, load_pool

#: Score buckets of the match-quality table: (lowest score, highest score or None).
SCORE_BUCKETS: tuple[tuple[int, int | None], ...] = (
    (0, 4),
    (5, 9),
    (10, 19),
    (20, 39),
    (40, None),
)
#: How many people each unmatched reason lists by name; the count is always complete.
LIST_LIMIT = 50
RECENT_RUNS = 5
#: Seekers without a candidate beyond the explained sample.
NOT_EXPLAINED = "not_explained"


@dataclass
class ProgrammeRow:
    programme: Programme
    seekers: int = 0
    offerers: int = 0
    paused: int = 0
    open_proposals: int = 0
    matches: int = 0
    last_run: dt.datetime | None = None


def programme_rows(place: Place) -> list[ProgrammeRow]:
    """The place's programmes with their pool sizes, open proposals, matches and last run."""
    last_run = MatchRun.objects.filter(programme=OuterRef("pk")).order_by("-started_at")
    programmes = Programme.objects.filter(place=place).annotate(
        last_run_at=Subquery(last_run.values("started_at")[:1])
    )
    rows = {p.pk: ProgrammeRow(programme=p, last_run=p.last_run_at) for p in programmes}
    profile_counts = (
        Profile.objects.filter(programme__place=place)
        .values("programme_id")
        .annotate(
            seekers=Count("pk", filter=Q(side=Side.SEEKER, status=ProfileStatus.ACTIVE)),
            offerers=Count("pk", filter=Q(side=Side.OFFERER, status=ProfileStatus.ACTIVE)),
            paused=Count("pk", filter=Q(status=ProfileStatus.PAUSED)),
        )
        .order_by()
    )
    for counts in profile_counts:
        row = rows.get(counts["programme_id"])
        if row is not None:
            row.seekers, row.offerers, row.paused = (
                counts["seekers"],
                counts["offerers"],
                counts["paused"],
            )
    proposal_counts = (
        Proposal.objects.filter(programme__place=place)
        .values("programme_id")
        .annotate(
            open=Count("pk", filter=Q(status=ProposalStatus.PROPOSED)),
            matches=Count("pk", filter=Q(status=ProposalStatus.ACCEPTED)),
        )
        .order_by()
    )
    for counts in proposal_counts:
        row = rows.get(counts["programme_id"])
        if row is not None:
            row.open_proposals, row.matches = counts["open"], counts["matches"]
    return list(rows.values())


@dataclass
class Person:
    pk: Any
    display_name: str
    waiting_days: int


@dataclass
class UnmatchedGroup:
    reason: str
    count: int
    people: list[Person] = field(default_factory=list)
    label: str = ""


@dataclass
class Outstanding:
    proposal: Proposal
    age_days: int
    not_answered: list[str]


@dataclass
class Bucket:
    low: int
    high: int | None
    proposed: int = 0
    accepted: int = 0


@dataclass
class ProgrammeFigures:
    pool: dict[str, int]
    waiting_median: float | None
    waiting_longest: int | None
    unmatched: list[UnmatchedGroup]
    outstanding: list[Outstanding]
    quality: list[Bucket]
    runs: list[MatchRun]


def pool_sizes(programme: Programme) -> dict[str, int]:
    """Active seekers and offerers, paused and left people, in one query."""
    counts = Profile.objects.filter(programme=programme).aggregate(
        seekers=Count("pk", filter=Q(side=Side.SEEKER, status=ProfileStatus.ACTIVE)),
        offerers=Count("pk", filter=Q(side=Side.OFFERER, status=ProfileStatus.ACTIVE)),
        paused=Count("pk", filter=Q(status=ProfileStatus.PAUSED)),
        left=Count("pk", filter=Q(status=ProfileStatus.LEFT)),
    )
    return {key: int(value or 0) for key, value in counts.items()}


def unmatched_groups(
    pool: Any, *, limit: int = EXPLAIN_LIMIT
) -> tuple[dict[str, list[engine.Side]], set[str]]:
    """Free seekers grouped by why they have no proposal, as the next run would see them.

    A seeker with at least one candidate is ``outcompeted`` (the last solution gave their
    candidates to others, or a run has not happened since they joined); the others get the
    first hard constraint that left them no offerer. Beyond ``limit`` seekers without a
    candidate are counted as not explained, as the runner does.
    """
    pairs = engine.candidates(pool.seekers, pool.offerers, pool.rules, excluded=pool.excluded)
    with_candidates = set(pairs.per_seeker())
    everyone = [*pool.offerers, *pool.full]
    groups: dict[str, list[engine.Side]] = defaultdict(list)
    explained = 0
    for seeker in pool.seekers:
        if seeker.id in with_candidates:
            groups[UNMATCHED_OUTCOMPETED].append(seeker)
        elif explained < limit:
            why = engine.why_unmatched(seeker, everyone, pool.rules, excluded=pool.excluded)
            groups[why or "excluded"].append(seeker)
            explained += 1
        else:
            groups[NOT_EXPLAINED].append(seeker)
    return dict(groups), with_candidates


def _bucket_of(score: int) -> int:
    for index, (low, high) in enumerate(SCORE_BUCKETS):
        if score >= low and (high is None or score <= high):
            return index
    return 0


def quality(programme: Programme) -> list[Bucket]:
    """How good the live matches are: open and accepted proposals by score bucket."""
    buckets = [Bucket(low, high) for low, high in SCORE_BUCKETS]
    rows = (
        Proposal.objects.filter(
            programme=programme, status__in=(ProposalStatus.PROPOSED, ProposalStatus.ACCEPTED)
        )
        .values("score", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        bucket = buckets[_bucket_of(row["score"])]
        if row["status"] == ProposalStatus.ACCEPTED:
            bucket.accepted += row["n"]
        else:
            bucket.proposed += row["n"]
    return buckets


def outstanding(programme: Programme, *, now: dt.datetime) -> list[Outstanding]:
    """Open proposals, oldest first, with who has not answered yet."""
    rows = []
    for proposal in (
        Proposal.objects.filter(programme=programme, status=ProposalStatus.PROPOSED)
        .select_related("seeker", "offerer")
        .order_by("proposed_at", "pk")
    ):
        silent = [
            side
            for side in (Side.SEEKER, Side.OFFERER)
            if proposal.response_of(side) == Response.PENDING
        ]
        rows.append(Outstanding(proposal, max(0, (now - proposal.proposed_at).days), silent))
    return rows


def programme_figures(programme: Programme, *, now: dt.datetime | None = None) -> ProgrammeFigures:
    """Everything the programme page shows, in a fixed number of queries."""
    now = now or timezone.now()
    pool = load_pool(programme, now=now)
    groups, _with_candidates = unmatched_groups(pool)
    waiting = [seeker.waiting_days for seeker in pool.seekers]
    listed = {seeker.id for people in groups.values() for seeker in people[:LIST_LIMIT]}
    names = dict(
        Profile.objects.filter(pk__in=[pool.ids[key] for key in listed]).values_list(
            "pk", "display_name"
        )
    )
    order = Counter({reason: len(people) for reason, people in groups.items()})
    unmatched = [
        UnmatchedGroup(
            reason=reason,
            count=count,
            people=[
                Person(pool.ids[s.id], names.get(pool.ids[s.id], ""), s.waiting_days)
                for s in sorted(groups[reason], key=lambda s: (-s.waiting_days, s.id))[:LIST_LIMIT]
            ],
        )
        for reason, count in sorted(order.items(), key=lambda item: (-item[1], item[0]))
    ]
    return ProgrammeFigures(
        pool=pool_sizes(programme),
        waiting_median=statistics.median(waiting) if waiting else None,
        waiting_longest=max(waiting) if waiting else None,
        unmatched=unmatched,
        outstanding=outstanding(programme, now=now),
        quality=quality(programme),
        runs=list(MatchRun.objects.filter(programme=programme)[:RECENT_RUNS]),
    )
