import re

import pytest
from django.core.management import call_command

from commonhome.demo.synthetic import HSDS_PLACE_SIZE, place_sizes
from commonhome.directory.bench import percentile

SUMMARY = re.compile(
    r"^directory: backend=(?P<backend>\w+) services=(?P<services>\d+) "
    r"hsds_median_ms=(?P<hsds_median>[\d.]+) hsds_p95_ms=(?P<hsds_p95>[\d.]+) "
    r"search_p50_ms=(?P<search_p50>[\d.]+) search_p95_ms=(?P<search_p95>[\d.]+) "
    r"bundle_ms=(?P<bundle>[\d.]+) "
    r"hsds_cold_median_ms=(?P<hsds_cold_median>[\d.]+) hsds_cold_p95_ms=(?P<hsds_cold_p95>[\d.]+)$"
)


def test_default_sizes_give_one_place_the_budget_size_and_share_the_rest():
    sizes = place_sizes(100_000, 20)
    assert sizes[0] == HSDS_PLACE_SIZE
    assert sum(sizes) == 100_000
    assert max(sizes[1:]) - min(sizes[1:]) <= 1


def test_small_runs_share_services_evenly():
    assert place_sizes(200, 2) == [100, 100]
    assert place_sizes(7, 1) == [7]


def test_percentile_is_the_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert percentile(values, 0.95) == 95.0
    assert percentile(values, 0.5) == 50.0
    assert percentile([3.0], 0.95) == 3.0


@pytest.mark.django_db
def test_tiny_bench_prints_the_summary_line_and_leaves_the_configured_database_alone(capsys):
    from commonhome.core.models import Place

    before = Place.objects.count()
    call_command("bench", "directory", "--services", "200", "--places", "2", "--queries", "5")
    lines = capsys.readouterr().out.strip().splitlines()
    match = SUMMARY.match(lines[-1])
    assert match, lines[-1]
    assert match["services"] == "200"
    assert match["backend"] in {"sqlite", "postgresql"}
    for key in (
        "hsds_median",
        "hsds_p95",
        "search_p50",
        "search_p95",
        "bundle",
        "hsds_cold_median",
        "hsds_cold_p95",
    ):
        assert float(match[key]) > 0
    assert float(match["hsds_p95"]) >= float(match["hsds_median"])
    assert Place.objects.count() == before
