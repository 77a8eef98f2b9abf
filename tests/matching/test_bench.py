import re

import pytest
from django.core.management import call_command

SUMMARY = re.compile(
    r"^matching: seekers=(?P<seekers>\d+) offerers=(?P<offerers>\d+) pairs=(?P<pairs>\d+) "
    r"matched=(?P<matched>\d+) score_vs_optimum_pct=(?P<score>[\d.]+) "
    r"few_candidates_matched_pct=(?P<few>[\d.]+) solve_s=(?P<solve>[\d.]+) "
    r"total_s=(?P<total>[\d.]+) peak_mb=(?P<peak>\d+)$"
)


@pytest.mark.django_db
def test_tiny_bench_prints_the_summary_line_and_leaves_the_database_alone(capsys):
    from commonhome.core.models import Place

    before = Place.objects.count()
    call_command("bench", "matching", "--seekers", "200", "--offerers", "80")
    lines = capsys.readouterr().out.strip().splitlines()
    match = SUMMARY.match(lines[-1])
    assert match, lines[-1]
    assert (match["seekers"], match["offerers"]) == ("200", "80")
    assert 0 < int(match["matched"]) <= 200
    assert int(match["pairs"]) >= int(match["matched"])
    assert float(match["score"]) == 100.0  # what was stored is what the solver found
    assert 0 <= float(match["few"]) <= 100
    assert float(match["total"]) >= float(match["solve"]) > 0
    assert any(line.startswith("greedy: ") for line in lines)
    assert Place.objects.count() == before


@pytest.mark.django_db
def test_bench_refuses_an_empty_pool():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("bench", "matching", "--seekers", "0")
