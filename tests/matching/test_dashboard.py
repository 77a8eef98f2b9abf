"""The coordinators' figures: pool sizes, waiting, who is unmatched and why, open proposals,
match quality, and the place's programmes at a glance."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from commonhome.matching import dashboard, services
from commonhome.matching.constants import UNMATCHED_OUTCOMPETED, ProposalStatus
from commonhome.matching.models import MatchRun, Profile
from commonhome.matching.runner import run_matching
from tests.matching.factories import ProgrammeFactory, offerer, proposal, seeker


@pytest.fixture
def pool(programme):
    """A known pool: one full offerer, one free; free seekers unmatched for different reasons.

    - ``busy`` holds a live proposal with ``full`` (which has capacity 1): not in the pool;
    - ``lucky`` speaks English like ``free``: a candidate, so only outcompeted;
    - ``tried`` speaks English but declined ``free`` before: only excluded pairs are left;
    - ``farsi`` and ``arabic`` share no language with anyone offering;
    - ``resting`` paused: not in the pool.
    """
    now = timezone.now()
    people = {
        "full": offerer(programme, languages=["en"], capacity=1),
        "free": offerer(programme, languages=["en", "de"], capacity=1),
        "busy": seeker(programme, languages=["en"]),
        "lucky": seeker(programme, languages=["en"]),
        "tried": seeker(programme, languages=["en"]),
        "farsi": seeker(programme, languages=["fa"]),
        "arabic": seeker(programme, languages=["ar"]),
        "resting": seeker(programme, languages=["en"]),
    }
    services.pause(people["resting"], reason="holiday")
    live = proposal(people["busy"], people["full"], now=now - dt.timedelta(days=3), score=3)
    services.respond(people["busy"], live, True)
    proposal(people["tried"], people["free"], status=ProposalStatus.DECLINED, score=12)
    Profile.objects.filter(pk=people["lucky"].pk).update(waiting_since=now - dt.timedelta(days=10))
    Profile.objects.filter(pk=people["farsi"].pk).update(waiting_since=now - dt.timedelta(days=30))
    people["live"] = live
    return people


def test_unmatched_seekers_are_counted_by_the_reason_the_engine_gives(programme, pool):
    figures = dashboard.programme_figures(programme)

    counts = {group.reason: group.count for group in figures.unmatched}
    assert counts == {UNMATCHED_OUTCOMPETED: 1, "excluded": 1, "shared_language": 2}
    names = {g.reason: {p.display_name for p in g.people} for g in figures.unmatched}
    assert names["shared_language"] == {pool["farsi"].display_name, pool["arabic"].display_name}
    assert names["excluded"] == {pool["tried"].display_name}
    # Most common reason first; within a reason, the longest waiting first.
    assert figures.unmatched[0].reason == "shared_language"
    assert figures.unmatched[0].people[0].pk == pool["farsi"].pk


def test_pool_sizes_and_waiting_of_seekers_without_a_proposal(programme, pool):
    figures = dashboard.programme_figures(programme)

    assert figures.pool == {"seekers": 5, "offerers": 2, "paused": 1, "left": 0}
    # Free seekers waited 10, 0, 30 and 0 days; the busy and the paused are not waiting.
    assert figures.waiting_longest == 30
    assert figures.waiting_median == 5


def test_open_proposals_say_who_has_not_answered(programme, pool):
    figures = dashboard.programme_figures(programme)

    [row] = figures.outstanding
    assert row.proposal.pk == pool["live"].pk
    assert row.age_days == 3
    assert row.not_answered == ["offerer"]


def test_match_quality_counts_live_proposals_by_score(programme, pool):
    services.respond(pool["full"], pool["live"], True)
    buckets = dashboard.quality(programme)

    assert [(b.low, b.proposed, b.accepted) for b in buckets] == [
        (0, 0, 1),
        (5, 0, 0),
        (10, 0, 0),
        (20, 0, 0),
        (40, 0, 0),
    ]


def test_a_seeker_in_a_programme_nobody_offers_in_has_no_offerers(place):
    empty = ProgrammeFactory(place=place)
    seeker(empty)
    [group] = dashboard.programme_figures(empty).unmatched
    assert (group.reason, group.count) == ("no_offerers", 1)


def test_every_offerer_full_means_no_capacity_for_those_who_would_fit(programme, pool):
    proposal(pool["lucky"], pool["free"])
    names = {
        g.reason: {p.display_name for p in g.people}
        for g in dashboard.programme_figures(programme).unmatched
    }
    # English speakers would fit someone, who is full; nobody at all speaks Farsi or Arabic.
    assert names == {
        "no_capacity": {pool["tried"].display_name},
        "shared_language": {pool["farsi"].display_name, pool["arabic"].display_name},
    }


def test_unmatched_beyond_the_explained_sample_are_counted_not_analysed(programme, pool):
    loaded = dashboard.load_pool(programme, now=timezone.now())
    groups, _ = dashboard.unmatched_groups(loaded, limit=1)
    sizes = {k: len(v) for k, v in groups.items()}
    # One seeker without a candidate is analysed; the other two are only counted.
    assert sizes.pop(UNMATCHED_OUTCOMPETED) == 1
    assert sizes.pop(dashboard.NOT_EXPLAINED) == 2
    assert list(sizes.values()) == [1] and set(sizes) <= {"excluded", "shared_language"}


def test_programme_rows_give_each_programme_its_own_figures(place, programme, pool):
    other = ProgrammeFactory(place=place)
    seeker(other)
    run_matching(programme)
    elsewhere = ProgrammeFactory()
    seeker(elsewhere)

    rows = {row.programme.pk: row for row in dashboard.programme_rows(place)}

    assert set(rows) == {programme.pk, other.pk}
    mine = rows[programme.pk]
    assert (mine.seekers, mine.offerers, mine.paused) == (5, 2, 1)
    assert (mine.open_proposals, mine.matches) == (2, 0)  # the live one and the new one
    assert mine.last_run == MatchRun.objects.get(programme=programme).started_at
    assert (rows[other.pk].seekers, rows[other.pk].last_run) == (1, None)
