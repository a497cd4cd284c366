"""The phase of a public consultation, from its dates and its report.
Plain Python: no CKAN import. Never typed by hand."""
from __future__ import annotations

import datetime

ANNOUNCED, OPEN, UNDER_REVIEW, CLOSED = "announced", "open", "under-review", "closed"
PHASES = (ANNOUNCED, OPEN, UNDER_REVIEW, CLOSED)


def phase(now: datetime.datetime, opens_at: datetime.datetime, closes_at: datetime.datetime,
          has_report: bool) -> str:
    """announced before ``opens_at``; open from ``opens_at`` up to and including
    ``closes_at``; under review after it; closed once the report is published."""
    if has_report:
        return CLOSED
    if now < opens_at:
        return ANNOUNCED
    if now <= closes_at:
        return OPEN
    return UNDER_REVIEW


def parse(value: str) -> datetime.datetime:
    """A date-time as scheming stores it (ISO 8601; naive values are UTC)."""
    parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=datetime.timezone.utc)
