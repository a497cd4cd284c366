"""Deadline arithmetic against hand-computed cases (plain functions, no CKAN)."""
from __future__ import annotations

from datetime import date

import pytest

from ckanext.transparency.deadlines import Calendar, due_date, read_holidays_file, ISLAMIC_HOLIDAYS_FILE

NO_ISLAMIC = Calendar(islamic_holidays=[])


def test_weekends_and_fixed_holidays_are_not_working_days():
    assert date(2026, 11, 13).weekday() == 4  # a Friday
    assert not NO_ISLAMIC.is_working_day(date(2026, 11, 14))  # Saturday
    assert not NO_ISLAMIC.is_working_day(date(2026, 11, 18))  # Independence Day, a Wednesday
    assert NO_ISLAMIC.is_working_day(date(2026, 11, 19))


def test_holidays_count_only_from_the_year_they_were_instituted():
    assert not NO_ISLAMIC.is_holiday(date(2023, 1, 14))  # Amazigh new year: from 2024
    assert NO_ISLAMIC.is_holiday(date(2025, 1, 14))
    assert not NO_ISLAMIC.is_holiday(date(2025, 10, 31))  # Unity Day: from 2026
    assert NO_ISLAMIC.is_holiday(date(2026, 10, 31))


def test_twenty_working_days_skip_weekends_and_independence_day():
    # Fri 13 Nov 2026: 16, 17, 19, 20 (18 is a holiday) = 4; 23-27 = 9; 30 Nov-4 Dec = 14;
    # 7-11 Dec = 19; Mon 14 Dec = 20.
    assert due_date(NO_ISLAMIC, date(2026, 11, 13), urgent=False, extended=False) == date(2026, 12, 14)


def test_extension_adds_twenty_working_days_across_the_year_end():
    # From 14 Dec 2026 (day 20): 15-18 = 24; 21-25 = 29; 28-31 = 33; 1 Jan holiday;
    # 4-8 Jan = 38; 11 Jan holiday; 12 Jan = 39; 13 Jan = 40.
    assert due_date(NO_ISLAMIC, date(2026, 11, 13), urgent=False, extended=True) == date(2027, 1, 13)


def test_year_end_with_the_january_holidays():
    # Thu 24 Dec 2026: 25 = 1; 28-31 = 5; 1 Jan off; 4-8 = 10; 11 off; 12, 13 = 12;
    # 14 off (Amazigh new year); 15 = 13; 18-22 = 18; 25 = 19; 26 Jan = 20.
    assert due_date(NO_ISLAMIC, date(2026, 12, 24), urgent=False, extended=False) == date(2027, 1, 26)


def test_urgent_requests_get_three_working_days_around_islamic_holidays():
    calendar = Calendar(islamic_holidays=[date(2027, 3, 10), date(2027, 3, 11)])
    # Mon 8 Mar: 9 = 1; 10, 11 Aid Al Fitr; 12 = 2; (13, 14 weekend); Mon 15 = 3.
    assert due_date(calendar, date(2027, 3, 8), urgent=True, extended=False) == date(2027, 3, 15)
    # Urgency wins over an extension flag: an urgent request cannot be extended.
    assert due_date(calendar, date(2027, 3, 8), urgent=True, extended=True) == date(2027, 3, 15)


def test_lengths_are_parameters():
    assert due_date(NO_ISLAMIC, date(2026, 11, 13), urgent=False, extended=False, answer_days=1) == date(2026, 11, 16)


def test_working_days_between_counts_after_start_up_to_end():
    assert NO_ISLAMIC.working_days_between(date(2026, 11, 13), date(2026, 12, 14)) == 20
    assert NO_ISLAMIC.working_days_between(date(2026, 12, 14), date(2026, 11, 13)) == -20
    assert NO_ISLAMIC.working_days_between(date(2026, 11, 13), date(2026, 11, 13)) == 0


def test_the_islamic_holidays_file_covers_the_next_years():
    days = read_holidays_file(ISLAMIC_HOLIDAYS_FILE)
    assert {d.year for d in days} >= {2025, 2026, 2027, 2028}
    assert Calendar().is_holiday(date(2027, 3, 10))


def test_negative_lengths_are_refused():
    with pytest.raises(ValueError):
        NO_ISLAMIC.add_working_days(date(2026, 1, 1), -1)
