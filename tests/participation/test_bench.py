import re

import pytest
from django.core.management import call_command

from tests.participation.test_trail import TRAIL_QUERIES

SUMMARY = re.compile(
    r"^participation: contributions=(?P<contributions>\d+) "
    r"trail_median_ms=(?P<median>[\d.]+) trail_p95_ms=(?P<p95>[\d.]+) queries=(?P<queries>\d+)$"
)


@pytest.mark.django_db
def test_tiny_bench_prints_the_summary_line_with_the_pinned_query_count(capsys):
    from commonhome.core.models import Place

    before = Place.objects.count()
    call_command("bench", "participation", "--contributions", "120", "--queries", "3")
    lines = capsys.readouterr().out.strip().splitlines()
    match = SUMMARY.match(lines[-1])
    assert match, lines[-1]
    assert match["contributions"] == "120"
    assert int(match["queries"]) == TRAIL_QUERIES
    assert float(match["median"]) > 0
    assert float(match["p95"]) >= float(match["median"])
    assert Place.objects.count() == before


@pytest.mark.django_db
def test_synthetic_trail_has_the_promised_shape():
    from commonhome.demo.synthetic_participation import generate
    from commonhome.participation import trail
    from commonhome.participation.models import Answer, Result, Support

    generated = generate(200, seed=3)
    place = generated.place
    assert (generated.contributions, generated.results, generated.supports) == (200, 20, 1000)
    assert Support.objects.filter(contribution__place=place).count() == 1000
    answered = Answer.objects.filter(contribution__place=place).count()
    assert 0.6 * 200 <= answered <= 0.9 * 200
    assert Result.objects.filter(place=place, parent__isnull=False).exists()
    numbers = trail.numbers(place, trail.public_contributions(place))
    assert numbers.heard == 200
    assert 0.45 * 200 <= numbers.acted_on <= 0.75 * 200
    assert numbers.done >= 1
