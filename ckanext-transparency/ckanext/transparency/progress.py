"""Progress of OGP commitments, computed from their milestones. Plain Python: no CKAN import.

A milestone counts by its weight (1 when none is given): completed 100 %, in
progress 50 %, not started or delayed 0 %; a cancelled milestone leaves the
count. A milestone whose end month is over and that is neither completed nor
cancelled is late.
"""
from __future__ import annotations

import datetime
from typing import Any, Iterable

SHARE = {"completed": 1.0, "in-progress": 0.5, "not-started": 0.0, "delayed": 0.0}


def _weight(milestone: dict[str, Any]) -> float:
    try:
        return max(float(milestone.get("weight") or 1), 0.0)
    except (TypeError, ValueError):
        return 1.0


def commitment_progress(milestones: Iterable[dict[str, Any]]) -> int | None:
    """Weighted progress in percent, rounded; None when no milestone counts."""
    counted = [(m, _weight(m)) for m in milestones if m.get("state") != "cancelled"]
    total = sum(weight for _, weight in counted)
    if not total:
        return None
    done = sum(weight * SHARE.get(m.get("state") or "not-started", 0.0) for m, weight in counted)
    return round(100 * done / total)


def month_end(month: str) -> datetime.date:
    """The last day of a month written YYYY-MM."""
    year, number = int(month[:4]), int(month[5:7])
    first_of_next = datetime.date(year + number // 12, number % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def is_late(milestone: dict[str, Any], today: datetime.date) -> bool:
    return (bool(milestone.get("end")) and milestone.get("state") not in ("completed", "cancelled")
            and today > month_end(milestone["end"]))


def late_count(milestones: Iterable[dict[str, Any]], today: datetime.date) -> int:
    return sum(is_late(m, today) for m in milestones)


def plan_progress(commitment_progresses: Iterable[int | None]) -> int | None:
    """A plan's progress: the mean of its commitments' progress (those with milestones)."""
    known = [p for p in commitment_progresses if p is not None]
    return round(sum(known) / len(known)) if known else None
