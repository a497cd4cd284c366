"""Progress roll-ups and lateness (plain functions)."""
from __future__ import annotations

from datetime import date

from ckanext.transparency.progress import commitment_progress, is_late, late_count, month_end, plan_progress


def test_weighted_progress():
    milestones = [{"state": "completed", "weight": 3}, {"state": "in-progress", "weight": 2},
                  {"state": "not-started", "weight": 5}]
    assert commitment_progress(milestones) == 40  # (3 + 1) / 10


def test_missing_weight_counts_as_one_and_cancelled_leave_the_count():
    assert commitment_progress([{"state": "completed"}, {"state": "delayed"}]) == 50
    assert commitment_progress([{"state": "completed"}, {"state": "cancelled", "weight": 9}]) == 100


def test_no_milestone_no_progress():
    assert commitment_progress([]) is None
    assert commitment_progress([{"state": "cancelled"}]) is None
    assert plan_progress([]) is None
    assert plan_progress([None, 50, 100]) == 75


def test_month_ends_including_february_and_december():
    assert month_end("2024-02") == date(2024, 2, 29)
    assert month_end("2025-02") == date(2025, 2, 28)
    assert month_end("2018-12") == date(2018, 12, 31)


def test_a_milestone_is_late_after_its_end_month_unless_completed_or_cancelled():
    m = {"end": "2019-01", "state": "in-progress"}
    assert not is_late(m, date(2019, 1, 31))
    assert is_late(m, date(2019, 2, 1))
    assert not is_late(dict(m, state="completed"), date(2026, 1, 1))
    assert not is_late(dict(m, state="cancelled"), date(2026, 1, 1))
    assert not is_late({"state": "not-started"}, date(2026, 1, 1))  # no end month
    assert late_count([m, dict(m, end="2030-01")], date(2026, 1, 1)) == 1
