"""An indicator's values, read from its CSV (columns ``period``, ``value`` and an
optional ``breakdown``): plain Python, no CKAN import.

Rows without a breakdown make the headline series; the others make one series
per breakdown. Periods are written so that they sort as text: 2024, 2024-Q1,
2024-03.
"""
from __future__ import annotations

import csv
import datetime
import io
from typing import Any

MAX_ROWS = 10000


def N_(message: str) -> str:
    """Marks a message for translation (extracted by scripts/i18n, translated by the caller)."""
    return message


def parse(text: str) -> dict[str, Any]:
    """``{"points", "breakdowns", "errors"}``: points are ``{"period", "value"}``
    sorted by period; errors are ``(line, template, params)``, the line counted
    as a spreadsheet does (the header is line 1)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    columns = {(c or "").strip().lower() for c in reader.fieldnames or []}
    if not {"period", "value"} <= columns:
        return {"points": [], "breakdowns": {}, "errors": [
            (1, N_("The first line must name the columns period and value (and optionally breakdown)"), {})]}
    series: dict[str, dict[str, float]] = {}
    errors: list[tuple[int, str, dict[str, Any]]] = []
    for line, row in enumerate(reader, start=2):
        if line > MAX_ROWS + 1:
            errors.append((line, N_("Only the first {max} rows are read"), {"max": MAX_ROWS}))
            break
        row = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if isinstance(v, str)}
        period, breakdown = row.get("period", ""), row.get("breakdown", "")
        if not period:
            errors.append((line, N_("The period is missing"), {}))
            continue
        try:
            value = float(row.get("value", "").replace(",", ".").replace("\u00a0", "").replace(" ", ""))
        except ValueError:
            errors.append((line, N_("The value {value} is not a number"), {"value": row.get("value", "")}))
            continue
        if period in series.setdefault(breakdown, {}):
            errors.append((line, N_("The period {period} appears twice"), {"period": period}))
            continue
        series[breakdown][period] = value
    def points(values: dict[str, float]) -> list[dict[str, Any]]:
        return [{"period": p, "value": values[p]} for p in sorted(values)]
    return {"points": points(series.pop("", {})),
            "breakdowns": {name: points(values) for name, values in sorted(series.items())},
            "errors": errors}


def change(points: list[dict[str, Any]]) -> dict[str, Any]:
    """The latest value, the one before it and the change between them."""
    latest = points[-1] if points else None
    previous = points[-2] if len(points) > 1 else None
    result = {"latest": latest, "previous": previous, "change": None, "change_percent": None}
    if latest and previous:
        result["change"] = round(latest["value"] - previous["value"], 6)
        if previous["value"]:
            result["change_percent"] = round(100 * result["change"] / abs(previous["value"]), 1)
    return result


def quarter(day: datetime.date) -> str:
    """The quarter of a day, written to sort as text: 2025-Q3."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def quarters(first_month: str, today: datetime.date) -> list[tuple[str, datetime.date, datetime.date]]:
    """(label, first day, last day) of each quarter from the one of ``first_month``
    (YYYY-MM) to the one of ``today``."""
    year, month = int(first_month[:4]), (int(first_month[5:7]) - 1) // 3 * 3 + 1
    found = []
    while (year, month) <= (today.year, today.month):
        start = datetime.date(year, month, 1)
        year, month = (year + 1, 1) if month == 10 else (year, month + 3)
        found.append((quarter(start), start, datetime.date(year, month, 1) - datetime.timedelta(days=1)))
    return found
