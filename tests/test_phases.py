"""Consultation phases at their boundaries (plain functions)."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ckanext.transparency.phases import parse, phase

OPENS = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)
CLOSES = datetime(2026, 12, 31, 17, 0, tzinfo=timezone.utc)
SECOND = timedelta(seconds=1)


def test_boundaries():
    assert phase(OPENS - SECOND, OPENS, CLOSES, False) == "announced"
    assert phase(OPENS, OPENS, CLOSES, False) == "open"
    assert phase(CLOSES, OPENS, CLOSES, False) == "open"
    assert phase(CLOSES + SECOND, OPENS, CLOSES, False) == "under-review"
    assert phase(CLOSES + SECOND, OPENS, CLOSES, True) == "closed"
    assert phase(OPENS, OPENS, CLOSES, True) == "closed"  # a report closes it whatever the dates


def test_parse_reads_offsets_and_treats_naive_values_as_utc():
    assert parse("2026-12-01T10:00:00+01:00") == OPENS
    assert parse("2026-12-01T09:00:00") == OPENS
    assert parse("2026-12-01T09:00:00Z") == OPENS
