import datetime as dt

import pytest

from commonhome.core.hours import Interval, is_open, parse_byday, weekly_intervals


def test_weekly_rule_gives_one_interval_per_day():
    got = weekly_intervals("MO,WE", dt.time(9, 30), dt.time(17))
    assert got == [Interval(0, 570, 1020), Interval(2, 570, 1020)]


def test_rule_past_midnight_is_split():
    got = weekly_intervals("SU", dt.time(22), dt.time(2))
    assert got == [Interval(6, 1320, 1440), Interval(0, 0, 120)]


def test_bad_day_code_names_the_part():
    with pytest.raises(ValueError, match="'XY' is not a day code"):
        parse_byday("MO,XY")


def test_open_now_respects_closures():
    intervals = weekly_intervals("MO", dt.time(9), dt.time(17))
    monday_noon = dt.datetime(2026, 11, 23, 12, 0)
    assert is_open(intervals, monday_noon)
    assert not is_open(intervals, monday_noon.replace(hour=17))
    closure = [(dt.date(2026, 11, 23), dt.date(2026, 11, 23))]
    assert not is_open(intervals, monday_noon, closure)
