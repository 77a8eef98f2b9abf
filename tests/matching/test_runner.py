"""One run of matching from the database to stored proposals, and the daily round."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from commonhome.matching import services
from commonhome.matching.constants import ProfileStatus, ProposalStatus
from commonhome.matching.models import MatchRun, Proposal
from commonhome.matching.runner import run_matching
from commonhome.matching.tasks import daily_round
from tests.matching.factories import matched, offerer, proposal, seeker

NOW = dt.datetime(2025, 3, 3, 9, 0, tzinfo=dt.UTC)


def pairs(run: MatchRun) -> set[tuple[str, str]]:
    return {
        (p.seeker.display_name, p.offerer.display_name)
        for p in run.proposals.select_related("seeker", "offerer")
    }


@pytest.mark.django_db
def test_a_run_stores_proposals_with_their_explanation_and_figures(programme):
    farsi = seeker(programme, display_name="Maryam", languages=["fa"], now=NOW)
    seeker(programme, display_name="Olena", languages=["uk"], now=NOW)
    seeker(programme, display_name="Nobody", languages=["ti"], now=NOW)
    offerer(programme, display_name="Reza", languages=["fa", "en"], now=NOW)
    offerer(programme, display_name="Iryna", languages=["uk"], now=NOW)
    run = run_matching(programme, now=NOW + dt.timedelta(days=14))
    assert pairs(run) == {("Maryam", "Reza"), ("Olena", "Iryna")}
    stored = Proposal.objects.get(seeker=farsi)
    assert stored.status == ProposalStatus.PROPOSED
    assert stored.reasons == ["shared_language:fa"]
    # The required shared language is paid for by the constraint; two weeks waited score 2.
    assert stored.parts == {"language": 0, "waiting": 2}
    assert stored.score == 2 and not stored.forced
    assert stored.expires_at == NOW + dt.timedelta(days=28)
    stats = run.stats
    assert (stats["seekers"], stats["offerers"], stats["matched"]) == (3, 2, 2)
    assert stats["pairs"] == 2 and stats["objective"][1] == 2
    assert stats["unmatched"] == {"shared_language": 1}
    assert set(stats["timings"]) >= {"candidates_s", "solve_s", "total_s"}
    assert run.finished_at is not None and run.method == "flow"


@pytest.mark.django_db
def test_declined_expired_and_ended_pairs_are_never_proposed_again(programme, coordinator):
    a, b, c = (seeker(programme, display_name=n) for n in ("A", "B", "C"))
    volunteer = offerer(programme, display_name="V", capacity=3)
    declined = proposal(a, volunteer, now=NOW)
    services.respond(a, declined, False, now=NOW)
    expired = proposal(b, volunteer, now=NOW)
    services.respond(b, expired, True, now=NOW)
    services.respond(volunteer, expired, True, now=NOW)  # accepted…
    services.end_match(expired, reason="Did not get on", actor=coordinator, now=NOW)  # …ended
    lapsed = proposal(c, volunteer, now=NOW)
    services.respond(volunteer, lapsed, True, now=NOW)
    services.expire_and_remind(NOW + dt.timedelta(days=20))
    services.resume(c)  # back from the pause the silence caused
    run = run_matching(programme, now=NOW + dt.timedelta(days=21))
    assert pairs(run) == set()
    assert run.stats["unmatched"] == {"excluded": 3}


@pytest.mark.django_db
def test_nobody_is_booked_twice_across_two_runs(programme):
    volunteer = offerer(programme, display_name="V", capacity=2)
    for name in "ABC":
        seeker(programme, display_name=name)
    first = run_matching(programme)
    assert len(pairs(first)) == 2
    second = run_matching(programme)
    assert pairs(second) == set()
    assert second.stats["offerers"] == 0 and second.stats["offerers_full"] == 1
    assert second.stats["seekers"] == 1
    assert second.stats["unmatched"] == {"no_capacity": 1}
    live = Proposal.objects.filter(offerer=volunteer, status=ProposalStatus.PROPOSED)
    assert live.count() == 2


@pytest.mark.django_db
def test_accepted_matches_use_capacity_and_a_declined_one_frees_it(programme):
    volunteer = offerer(programme, display_name="V", capacity=2)
    matched(seeker(programme, display_name="A"), volunteer)
    for name in "BC":
        seeker(programme, display_name=name)
    first = run_matching(programme)
    assert len(pairs(first)) == 1
    (made,) = first.proposals.all()
    services.respond(made.seeker, made, False)
    second = run_matching(programme)
    (name,) = {s for s, _ in pairs(second)}
    assert name in "BC" and name != made.seeker.display_name


@pytest.mark.django_db
def test_paused_and_departed_people_are_not_in_the_pool(programme):
    volunteer = offerer(programme, display_name="V")
    services.pause(seeker(programme, display_name="Paused"))
    services.leave(seeker(programme, display_name="Gone"))
    run = run_matching(programme)
    assert pairs(run) == set() and run.stats["seekers"] == 0
    services.pause(volunteer)
    seeker(programme, display_name="New")
    assert run_matching(programme).stats["offerers"] == 0


@pytest.mark.django_db
def test_a_forced_pair_is_proposed_and_a_forbidden_one_never(programme, coordinator):
    arabic = seeker(programme, display_name="Amal", languages=["ar"])
    english = offerer(programme, display_name="Emma", languages=["en"])
    only = seeker(programme, display_name="Only", languages=["en"])
    services.force_pair(coordinator, arabic, english, reason="They met at the café")
    forbidden_partner = offerer(programme, display_name="Fred", languages=["en"])
    services.forbid_pair(coordinator, only, forbidden_partner, reason="Safeguarding")
    run = run_matching(programme)
    assert pairs(run) == {("Amal", "Emma")}
    forced = Proposal.objects.get(seeker=arabic)
    assert forced.forced and "forced" in forced.reasons
    assert run.stats["forced"] == 1
    assert not Proposal.objects.filter(seeker=only, offerer=forbidden_partner).exists()
    # A forced pair already proposed is not forced again.
    assert run_matching(programme).stats["forced"] == 0


@pytest.mark.django_db
def test_greedy_runs_on_request_and_says_so(programme):
    seeker(programme)
    offerer(programme)
    run = run_matching(programme, method="greedy")
    assert run.method == "greedy" and run.stats["matched"] == 1


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_pool(programme):
    def queries_for(n: int) -> int:
        Proposal.objects.all().delete()
        for _ in range(n):
            seeker(programme)
            offerer(programme)
        with CaptureQueriesContext(connection) as captured:
            run = run_matching(programme)
        assert run.stats["matched"] == run.stats["seekers"]
        return len(captured.captured_queries)

    assert queries_for(2) == queries_for(25)


@pytest.mark.django_db
def test_the_daily_round_expires_then_matches_every_open_programme(programme):
    from tests.matching.factories import ProgrammeFactory

    closed = ProgrammeFactory(place=programme.place, is_open=True)
    late = proposal(seeker(programme, now=NOW), offerer(programme, now=NOW), now=NOW)
    services.respond(late.seeker, late, True, now=NOW)
    newcomer = seeker(programme, display_name="New")
    seeker(closed)
    offerer(closed)
    closed.is_open = False
    closed.save()
    result = daily_round.enqueue((NOW + dt.timedelta(days=15)).isoformat()).return_value
    assert result["expired"] == 1 and result["paused"] == 1
    late.offerer.refresh_from_db()
    assert late.offerer.status == ProfileStatus.PAUSED
    assert list(result["runs"]) == [str(programme.pk)]
    assert not Proposal.objects.filter(seeker=newcomer).exists()  # the only offerer is paused
    assert not MatchRun.objects.filter(programme=closed).exists()


def test_daily_command_runs_the_round(programme, capsys):
    """The cron entry queues the round; with the immediate backend it runs at once."""
    from django.core.management import call_command

    call_command("match_daily")
    assert "matching round queued" in capsys.readouterr().out
    assert programme.runs.exists()
