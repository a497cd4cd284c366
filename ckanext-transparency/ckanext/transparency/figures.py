"""Arithmetic of the statistics, on counts already aggregated (facets, grouped
SQL): plain Python, no CKAN import."""
from __future__ import annotations

from typing import Any, Iterator


def percent(part: int, whole: int) -> int | None:
    return round(100 * part / whole) if whole else None


def median(histogram: list[tuple[int, int]]) -> float | None:
    """The median of values given as (value, count) pairs sorted by value."""
    total = sum(count for _, count in histogram)
    if not total:
        return None
    seen, lower = 0, None
    for value, count in histogram:
        seen += count
        if lower is None and seen > (total - 1) // 2:
            lower = value
        if seen > total // 2:
            return (lower + value) / 2
    raise AssertionError("unreachable: the counts add up to the total")


def mean(histogram: list[tuple[int, int]]) -> float | None:
    total = sum(count for _, count in histogram)
    return round(sum(value * count for value, count in histogram) / total, 1) if total else None


def months(counts: dict[str, int]) -> list[dict[str, Any]]:
    """Counts per month (YYYY-MM), every month from the first to the last, empty ones at zero."""
    if not counts:
        return []
    year, month = int(min(counts)[:4]), int(min(counts)[5:7])
    series = []
    while f"{year:04d}-{month:02d}" <= max(counts):
        key = f"{year:04d}-{month:02d}"
        series.append({"name": key, "label": key, "count": counts.get(key, 0)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return series


def rows(stats: dict[str, Any]) -> Iterator[tuple[str, str, str, Any]]:
    """The statistics as flat (section, figure, item, value) rows, for a CSV file:
    plain figures have an empty item, lists give one row per entry and number."""
    for section, figures in stats.items():
        if section == "filters":
            continue
        for figure, value in figures.items():
            if isinstance(value, list):
                for entry in value:
                    for key, number in entry.items():
                        if key not in ("name", "label"):
                            yield section, figure if key == "count" else f"{figure}.{key}", entry["name"], number
            elif isinstance(value, dict):
                for key, number in value.items():
                    yield section, f"{figure}.{key}", "", number
            else:
                yield section, figure, "", value
