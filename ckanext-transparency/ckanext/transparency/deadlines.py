"""Deadlines of law 31-13 in working days. Plain Python: no CKAN import.

A working day is a day from Monday to Friday that is not a public holiday.
Fixed holidays are built in with the year they were instituted; the Islamic
holidays, which follow the moon, come from a dated data file that an
administrator updates (``data/islamic_holidays.csv``).
"""
from __future__ import annotations

import csv
import dataclasses
import datetime
import functools
import os
from typing import Iterable

Date = datetime.date

# (month, day, first year observed, name)
FIXED_HOLIDAYS = [
    (1, 1, 1956, "Nouvel an"),
    (1, 11, 1956, "Manifeste de l'indépendance"),
    (1, 14, 2024, "Nouvel an amazigh"),
    (5, 1, 1956, "Fête du travail"),
    (7, 30, 1999, "Fête du Trône"),
    (8, 14, 1979, "Allégeance de Oued Ed-Dahab"),
    (8, 20, 1956, "Révolution du Roi et du Peuple"),
    (8, 21, 1956, "Fête de la Jeunesse"),
    (10, 31, 2026, "Fête de l'Unité"),
    (11, 6, 1975, "Marche verte"),
    (11, 18, 1956, "Fête de l'Indépendance"),
]

ISLAMIC_HOLIDAYS_FILE = os.path.join(os.path.dirname(__file__), "data", "islamic_holidays.csv")


def read_holidays_file(path: str) -> frozenset[Date]:
    """The dates of a holidays file (CSV with a ``date`` column; ``#`` lines are comments)."""
    with open(path, encoding="utf-8") as f:
        rows = csv.DictReader(line for line in f if not line.startswith("#"))
        return frozenset(Date.fromisoformat(row["date"]) for row in rows)


@functools.lru_cache(maxsize=None)
def _islamic_holidays(path: str) -> frozenset[Date]:
    return read_holidays_file(path)


class Calendar:
    """Working days of Morocco, given the dated Islamic holidays."""

    def __init__(self, islamic_holidays: Iterable[Date] | None = None):
        self.islamic = frozenset(islamic_holidays) if islamic_holidays is not None \
            else _islamic_holidays(ISLAMIC_HOLIDAYS_FILE)
        # The last day the Islamic holidays are known for: after it, a deadline is an estimate.
        self.covered_until = max(self.islamic) if self.islamic else None

    def is_estimate(self, day: Date) -> bool:
        """Whether ``day`` lies beyond the dated Islamic holidays, so that a deadline
        reaching it may move when the next ones are announced."""
        return self.covered_until is None or day > self.covered_until

    def runs_out(self, today: Date, months: int) -> bool:
        """Whether the dated holidays end within ``months`` months of ``today``."""
        return self.covered_until is None or self.covered_until < add_months(today, months)

    def is_holiday(self, day: Date) -> bool:
        if day in self.islamic:
            return True
        return any(day.month == m and day.day == d and day.year >= since for m, d, since, _ in FIXED_HOLIDAYS)

    def is_working_day(self, day: Date) -> bool:
        return day.weekday() < 5 and not self.is_holiday(day)

    def add_working_days(self, start: Date, days: int) -> Date:
        """The ``days``-th working day after ``start`` (``start`` itself is not counted)."""
        if days < 0:
            raise ValueError("days must be positive")
        day = start
        while days:
            day += datetime.timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day

    def working_days_between(self, start: Date, end: Date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative if ``end`` is before)."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += datetime.timedelta(days=1)
            count += self.is_working_day(day)
        return count


def add_months(day: Date, months: int) -> Date:
    """The same day ``months`` months later (the month's last day when it is shorter)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    last = (Date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1)).day
    return Date(year, month, min(day.day, last))


@dataclasses.dataclass(frozen=True)
class Schedule:
    """The calendar and the terms in force (configurable): when an answer is due."""
    calendar: Calendar
    answer_days: int = 20
    urgent_days: int = 3
    extension_days: int = 20

    def due(self, received: Date, *, urgent: bool, extended: bool) -> Date:
        return due_date(self.calendar, received, urgent=urgent, extended=extended, answer_days=self.answer_days,
                        urgent_days=self.urgent_days, extension_days=self.extension_days)


def due_date(calendar: Calendar, received: Date, *, urgent: bool, extended: bool,
             answer_days: int = 20, urgent_days: int = 3, extension_days: int = 20) -> Date:
    """When the institution must answer (art. 16 and 17 of law 31-13).

    20 working days from receipt, 20 more once extended; 3 working days when urgent
    (an urgent request cannot be extended).
    """
    if urgent:
        return calendar.add_working_days(received, urgent_days)
    return calendar.add_working_days(received, answer_days + (extension_days if extended else 0))
